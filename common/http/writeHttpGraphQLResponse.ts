import type { ServerResponse } from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { htmlPageHeaders } from './htmlPageHeaders.js';
import { toHeaderValue } from './toHeaderValue.js';

/** Writes Apollo Server's answer to a Node response, streaming it when it comes in chunks. */
export async function writeHttpGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  // Plugins set some of these from request data (rate-limit keys, cost): never raw.
  for (const [name, value] of response.headers) res.setHeader(name, toHeaderValue(value));
  // A landing page, where the server serves one.
  if (response.headers.get('content-type')?.startsWith('text/html')) for (const [name, value] of Object.entries(htmlPageHeaders)) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    // As bytes: a string body would be copied twice more on the way out (flattened to count its
    // length, then again joined to the head), each copy as large as the answer.
    res.end(Buffer.from(response.body.string));
    return;
  }
  for await (const chunk of response.body.asyncIterator) {
    // The client has gone: stop producing for it.
    if (res.destroyed) return;
    res.write(chunk);
  }
  res.end();
}
