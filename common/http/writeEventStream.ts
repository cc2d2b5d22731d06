import type { ServerResponse } from 'node:http';
import { writeStreamed, type StreamEnd } from './writeStreamed.js';
import { JsonText } from './JsonText.js';

// graphql-sse's reference server pings every 12 s; proxies commonly drop a connection idle for 30 s or more.
const HEARTBEAT_MS = 12_000;

/**
 * GraphQL over SSE, distinct connections mode (the `graphql-sse` protocol): each result an
 * `event: next` with the result as `data`, then `event: complete`. A `:` comment opens the stream
 * (some browsers wait for a first byte) and keeps it alive. Ends when the results do, or when the
 * client leaves (then `return()` is called on them).
 */
export function writeEventStream(res: ServerResponse, results: AsyncIterator<unknown>): Promise<StreamEnd> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // nginx would otherwise buffer the stream.
    'x-accel-buffering': 'no',
  });
  return writeStreamed(res, results, {
    opening: ':\n\n',
    heartbeat: ':\n\n',
    heartbeatMs: HEARTBEAT_MS,
    item: (result) => `event: next\ndata: ${JsonText.of(result)}\n\n`,
    closing: 'event: complete\n\n',
  });
}
