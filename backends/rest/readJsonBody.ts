import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { readBody } from '../../common/http/readBody.js';

/** The largest request body the demo backends accept, in bytes. */
export const defaultBodyLimitBytes = 64 * 1024;

/**
 * Reads a JSON request body: 415 unless the content type is `application/json`, 413 past
 * `limitBytes` (common/http's readBody: `Content-Length` first, then while reading, since chunked
 * bodies declare no length), 400 when it does not parse.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number = defaultBodyLimitBytes): Promise<unknown> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `content-type must be application/json, got '${req.headers['content-type'] ?? '(none)'}'`);
  }
  const text = (await readBody(req, limitBytes)).toString('utf8');
  if (text.trim() === '') throw new HttpError(ErrorCode.BAD_REQUEST, 'request body is empty; send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(ErrorCode.BAD_REQUEST, `malformed JSON body: ${(error as Error).message}`);
  }
}
