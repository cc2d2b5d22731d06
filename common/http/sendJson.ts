import type { ServerResponse } from 'node:http';
import { type ErrorCode, httpStatusOf } from '../errorCodes.js';

/** Writes a JSON answer; a response already begun is left alone. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Answers a request that never reached GraphQL execution (bad body, unknown path) in the
 * GraphQL response shape, so clients parse one error format whatever failed.
 */
export function sendGraphQLError(res: ServerResponse, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, httpStatusOf[code], { errors: [{ message, extensions: { code } }] }, headers);
}
