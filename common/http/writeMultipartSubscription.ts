import type { ServerResponse } from 'node:http';
import { writeStreamed, type StreamEnd } from './writeStreamed.js';
import { JsonText } from './JsonText.js';

// Apollo Router's heartbeat interval for multipart subscriptions.
const HEARTBEAT_MS = 5_000;
const PART = '\r\ncontent-type: application/json; charset=utf-8\r\n\r\n';

/**
 * Apollo's multipart HTTP subscriptions (`subscriptionSpec=1.0`): each result a part
 * `{"payload": result}`, `{}` parts as heartbeats, the closing boundary at the end. Each part is
 * followed at once by its boundary, since a client reads a part only once the next boundary has
 * come. Ends when the results do, or when the client leaves (then `return()` is called on them).
 */
export function writeMultipartSubscription(res: ServerResponse, results: AsyncIterator<unknown>): Promise<StreamEnd> {
  res.writeHead(200, {
    'content-type': 'multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return writeStreamed(res, results, {
    opening: '\r\n--graphql',
    heartbeat: `${PART}{}\r\n--graphql`,
    heartbeatMs: HEARTBEAT_MS,
    // `{"payload":…}` framed around the result's JSON: what JSON.stringify({ payload: result }) gives.
    item: (result) => `${PART}{"payload":${JsonText.of(result)}}\r\n--graphql`,
    closing: '--\r\n',
  });
}
