export interface HeaderValueOptions {
  /**
   * Also replace `"` and `\`, for a value that goes inside a quoted string (RFC 6750's
   * `error_description` allows only %x20-21 / %x23-5B / %x5D-7E).
   * @default false
   */
  quoted?: boolean;
  /**
   * The most characters kept; longer text is cut and ends with `...`.
   * @default 1024
   */
  maxLength?: number;
}

const TRUNCATED = '...';
// Visible ASCII words separated by single spaces: what the scan below would return unchanged.
const clean = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;
const cleanQuoted = /^(?:[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*)?$/;

/**
 * Any text as a valid, bounded response header value: every character outside visible ASCII
 * and space (controls such as CR, LF and NUL, and anything above U+007E) becomes `?`, with
 * runs of whitespace collapsed, so Node's `setHeader` can never throw on it and no client text
 * can add a header line. Every response header value built from text at run time goes through
 * here (`writeJson` and `HttpError` do it for theirs).
 */
export function toHeaderValue(text: string, options: HeaderValueOptions = {}): string {
  const maxLength = Math.max(options.maxLength ?? 1024, TRUNCATED.length);
  // Most values (every header of every answer goes through here) are valid already: kept as they
  // are, without a string made per character.
  if (text.length <= maxLength && (options.quoted ? cleanQuoted : clean).test(text)) return text;
  // Cut first (by UTF-16 unit, before the scan) so the work is bounded by maxLength too.
  const cut = text.length > maxLength * 2 ? text.slice(0, maxLength * 2) : text;
  let value = '';
  for (const char of cut) {
    const code = char.codePointAt(0)!;
    if (code === 0x09 || code === 0x0a || code === 0x0d || code === 0x20) {
      if (value !== '' && !value.endsWith(' ')) value += ' ';
    } else if (code < 0x20 || code > 0x7e) value += '?';
    else if (options.quoted && (char === '"' || char === '\\')) value += "'";
    else value += char;
  }
  value = value.trimEnd();
  if (value.length > maxLength || cut.length < text.length) value = `${value.slice(0, maxLength - TRUNCATED.length).trimEnd()}${TRUNCATED}`;
  return value;
}
