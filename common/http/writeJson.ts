import type { ServerResponse } from 'node:http';

/** Ends a response with a JSON body (nothing more is written to it afterwards). */
export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
