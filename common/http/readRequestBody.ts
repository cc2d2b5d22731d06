import type { IncomingMessage } from 'node:http';

/** Thrown when a body is larger than allowed; the caller answers 413. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than the ${limitBytes}-byte limit.`);
  }
}

/**
 * Reads a request body as text, refusing it as soon as it passes `limitBytes`, so an oversized
 * upload costs no more memory than the limit. A declared Content-Length over the limit is
 * refused before any byte is read.
 */
export async function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
