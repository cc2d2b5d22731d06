/** The longest client-chosen name (operation, client, version) the record keeps. */
export const MAX_NAME_LENGTH = 128;

// Printable ASCII: the common case, kept as it is.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A client-chosen string as the operation record keeps it: at most `MAX_NAME_LENGTH` characters
 * (cut before the cleaning, so a huge header costs no more than a short one), control characters
 * replaced by U+FFFD. Every client-chosen string the record holds goes through here.
 */
export function boundClientText(value: string | null | undefined): string {
  if (!value) return '';
  const cut = value.length > MAX_NAME_LENGTH ? value.slice(0, MAX_NAME_LENGTH) : value;
  if (PRINTABLE_ASCII.test(cut)) return cut;
  // C0 and C1 control characters, DEL and lone surrogates (iterated alone, where a pair comes as one): none may reach a log line, a report or a Redis key.
  let clean = '';
  for (const char of cut) {
    const code = char.charCodeAt(0);
    const unprintable = code < 0x20 || (code >= 0x7f && code <= 0x9f) || (char.length === 1 && code >= 0xd800 && code <= 0xdfff);
    clean += unprintable ? '\ufffd' : char;
  }
  return clean;
}
