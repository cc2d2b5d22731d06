import type { Readable } from 'node:stream';
import { utf8Text } from '../../../common/http/utf8Text.js';

/**
 * An answer's body as text, or undefined once it is found to be over `maxBytes`: from its
 * `content-length` before any of it is read, else by counting as it arrives (a chunked answer
 * declares no length). The body is destroyed then, which closes the connection and stops the
 * download, so that what a backend sends never costs the subgraph more than `maxBytes` of memory.
 */
export async function readCappedText(body: Readable, contentLength: string | string[] | undefined, maxBytes: number): Promise<string | undefined> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (declared > maxBytes) {
    body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return utf8Text(Buffer.concat(chunks));
}
