/**
 * A value the client sent, for an error message: at most `maxLength` characters of it, in
 * double quotes, with quotes, backslashes, controls (CR, LF, NUL, U+2028…) and anything outside
 * printable ASCII escaped as in JSON (`\u000d`), so the message shows exactly what was sent
 * without carrying it. Non-strings are shown as JSON, bounded the same way.
 */
export function quoteClientValue(value: unknown, maxLength = 64): string {
  const text = typeof value === 'string' ? value : jsonOf(value);
  const cut = text.length > maxLength ? text.slice(0, maxLength) : text;
  const escaped = cut.replace(/["\\]|[^\x20-\x7e]/g, (char) =>
    char === '"' || char === '\\' ? `\\${char}` : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"${cut.length < text.length ? '...' : ''}`;
}

// What JSON.parse gave back, as text; a value too deep to print is described, not thrown.
function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
