/**
 * A value as JSON that is always a valid HTTP header value, and its way back. JSON.stringify
 * already escapes control characters and lone surrogates; every other character outside
 * printable ASCII (U+0020–U+007E: DEL, Latin-1, anything above) becomes a `\uXXXX` escape too,
 * since HTTP clients refuse (undici) or mangle (Latin-1 decoding) them. JSON never starts or
 * ends with whitespace, which header parsers would trim. So any string, in any script, from
 * any identity provider, arrives exactly as it left.
 */
export function encodeHeaderJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The value `encodeHeaderJson` encoded; throws a SyntaxError when the text is not JSON. */
export function decodeHeaderJson(text: string): unknown {
  return JSON.parse(text);
}
