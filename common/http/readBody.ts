import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../errorCodes.js';
import { HttpError } from './HttpError.js';

/**
 * Reads a request body of at most `limitBytes`. A bigger one (by its Content-Length, or once
 * that many bytes have arrived) is refused with 413 `PAYLOAD_TOO_LARGE` without buffering the
 * rest; what still arrives is discarded until the connection closes (the refusal carries
 * `connection: close`).
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than the limit of ${limitBytes} bytes`, {
      connection: 'close',
    });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  // A request destroyed before the read (its client gone) emits nothing more: refuse it now.
  if (req.destroyed) return Promise.reject(new HttpError(ErrorCode.BAD_REQUEST, 'The connection closed before the whole request body arrived'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      // Stop keeping the body, but keep reading so the client is not cut off mid-send.
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
