/**
 * A body's bytes as text, as `fetch`'s `text()` and undici's `body.text()` read it: UTF-8, with a
 * leading byte order mark dropped (it is no part of the text; `JSON.parse` refuses it). For the
 * bounded readers that collect a body's bytes themselves instead of calling those.
 */
export function utf8Text(bytes: Buffer): string {
  const start = bytes.length > 2 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', start);
}
