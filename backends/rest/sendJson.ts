import type { ServerResponse } from 'node:http';
import type { ErrorWriter } from '../../common/http/respondWithError.js';

/** The JSON body of every error response of the demo REST backends. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** Writes a complete JSON response; `body` undefined means no body (204). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const payload = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
    })
    .end(payload);
}

/** A refusal in the REST backends' own shape, `{ "error": { "code", "message" } }`. */
export const writeRestError: ErrorWriter = (res, refusal) => {
  const body: ErrorBody = { error: { code: refusal.code, message: refusal.message } };
  sendJson(res, refusal.status, body, refusal.headers);
};
