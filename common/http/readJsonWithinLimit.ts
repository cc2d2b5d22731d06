import { utf8Text } from './utf8Text.js';

/** A body read whole and parsed, or the reason it was not read whole: over the limit by its `content-length`, or once more bytes than that came. */
export type JsonWithinLimit = { json: unknown } | { tooLarge: 'declared' | 'received' };

/**
 * A fetched answer's body parsed as JSON, read only up to `maxBytes`: an answer whose
 * `content-length` is over the limit is not read at all, and one that streams past it is not
 * read further; either way its stream is cancelled, which closes the connection. For answers from
 * a peer the gateway does not trust to be well behaved, where whatever it streams would otherwise
 * be held whole. A body that is not JSON, and an error of the stream (an abort: the caller's
 * deadline), are thrown.
 */
export async function readJsonWithinLimit(response: Response, maxBytes: number): Promise<JsonWithinLimit> {
  const body = response.body;
  if (!body) throw new SyntaxError('the answer has no body');
  if (Number(response.headers.get('content-length') ?? Number.NaN) > maxBytes) {
    await body.cancel().catch(() => {});
    return { tooLarge: 'declared' };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (over the limit) cancels the stream.
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) return { tooLarge: 'received' };
    chunks.push(chunk);
  }
  return { json: JSON.parse(utf8Text(Buffer.concat(chunks, size))) };
}
