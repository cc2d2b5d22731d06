/**
 * Reads a `multipart/mixed` body chunk by chunk and calls `onPart` with each part's body (its
 * headers cut off), and `onEnd` at the closing boundary. Returns false once an unfinished part
 * grows past `maxBytes` characters (the stream is then to be dropped).
 */
export function createMultipartParser(boundary: string, onPart: (body: string) => void, onEnd: () => void, maxBytes: number): (chunk: string) => boolean {
  const delimiter = `--${boundary}`;
  let buffer = '';
  let ended = false;
  return (chunk) => {
    if (ended) return true;
    buffer += chunk;
    let at = buffer.indexOf(delimiter);
    while (at !== -1) {
      const part = buffer.slice(0, at);
      const after = buffer.slice(at + delimiter.length);
      // Not yet known whether this is the closing delimiter.
      if (after.length < 2) break;
      const headerEnd = part.indexOf('\r\n\r\n');
      if (headerEnd !== -1) {
        const body = part.slice(headerEnd + 4).replace(/\r\n$/, '');
        if (body.trim() !== '') onPart(body);
      }
      if (after.startsWith('--')) {
        ended = true;
        onEnd();
        return true;
      }
      buffer = after;
      at = buffer.indexOf(delimiter);
    }
    return buffer.length <= maxBytes;
  };
}
