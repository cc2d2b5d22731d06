import type { IncomingMessage } from 'node:http';
import { RestError } from './RestError.js';

/** The largest request body the demo backends accept, in bytes. */
export const defaultBodyLimitBytes = 64 * 1024;

/**
 * Reads a JSON request body: 415 unless the content type is `application/json`, 413 past
 * `limitBytes` (checked against `Content-Length` first, then while reading, since chunked
 * bodies declare no length), 400 when it does not parse.
 */
export async function readJsonBody(
  req: IncomingMessage,
  limitBytes: number = defaultBodyLimitBytes,
): Promise<unknown> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new RestError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `content-type must be application/json, got '${req.headers['content-type'] ?? '(none)'}'`,
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);

  const text = await readText(req, limitBytes);
  if (text.trim() === '') throw RestError.badRequest('request body is empty; send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw RestError.badRequest(`malformed JSON body: ${(error as Error).message}`);
  }
}

function tooLarge(limitBytes: number): RestError {
  return new RestError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${limitBytes} bytes`);
}

function readText(req: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanUp();
        // Keep draining what is still coming, so the response is not lost to a connection
        // reset while the client is still writing.
        req.resume();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanUp();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    const cleanUp = (): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
