import type { ServerResponse } from 'node:http';
import { toHeaderValue } from './toHeaderValue.js';

// RFC 9110 token: a header name the code chose; anything else is a bug, dropped rather than thrown.
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Ends a response with a JSON body (nothing more is written to it afterwards). Header values go
 * through `toHeaderValue`, so text a refusal quotes cannot make `setHeader` throw.
 */
export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) {
    if (HEADER_NAME.test(name)) res.setHeader(name, toHeaderValue(String(value)));
  }
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
