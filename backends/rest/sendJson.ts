import type { ServerResponse } from 'node:http';
import type { ErrorBody, RestError } from './RestError.js';

/** Writes a complete JSON response; `body` undefined means no body (204). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
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

export function sendError(res: ServerResponse, error: RestError): void {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  sendJson(res, error.status, body, error.headers);
}
