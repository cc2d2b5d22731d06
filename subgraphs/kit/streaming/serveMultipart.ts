import type { ServerResponse } from 'node:http';
import { ErrorCode } from '../../../common/errorCodes.js';
import type { RequestScope } from '../requestScope.js';
import type { OpenStreams } from './createOpenStreams.js';
import { type OperationRunner, refusedStatus } from './OperationRunner.js';
import { writeWhenReady } from './writeWhenReady.js';

/** The Accept value of Apollo's multipart HTTP subscriptions (Apollo Client, Router). */
export const multipartSubscriptionAccept = 'multipart/mixed;subscriptionSpec="1.0"';

/**
 * Whether a request asks for Apollo's multipart subscription protocol: an Accept that lists
 * `multipart/mixed` with `subscriptionSpec=1.0` (quotes and spaces optional).
 */
export function acceptsMultipartSubscription(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').some((range) => {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    return type === 'multipart/mixed' && parameters.some((parameter) => parameter.replace(/"/g, '') === 'subscriptionspec=1.0');
  });
}

const boundary = 'graphql';
// Each part is followed by the boundary at once, so that a client can read it without waiting
// for the next one; the stream starts with the first boundary and ends with `--`.
const opening = `\r\n--${boundary}`;
const part = (json: string) => `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}\r\n--${boundary}`;
const closing = '--\r\n';

/**
 * Answers a subscription in Apollo's multipart protocol: a `{}` part every `heartbeatMs` while
 * nothing else is sent, `{"payload": result}` per event, and the closing boundary when the
 * subscription ends (the drain ends it too). An operation that is not a subscription, or is
 * refused, gets one JSON answer as on any POST.
 */
export async function serveMultipart(
  res: ServerResponse,
  params: unknown,
  scope: RequestScope,
  deps: { runner: OperationRunner; streams: OpenStreams; heartbeatMs: number },
): Promise<void> {
  const outcome = await deps.runner.run(params, scope);
  if (outcome.kind !== 'stream') {
    const body = JSON.stringify(deps.runner.format(outcome.result, scope));
    res.writeHead(outcome.kind === 'refused' ? refusedStatus(outcome.result) : 200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
    return;
  }
  const { results } = outcome;
  deps.streams.track(results);
  res.on('close', () => {
    results.return().catch(() => {});
  });
  res.writeHead(200, {
    'content-type': `multipart/mixed;boundary="${boundary}";subscriptionSpec="1.0"`,
    'cache-control': 'no-cache',
    // Closed with the stream, so that the drain need not wait for it to idle out.
    connection: 'close',
  });
  let writing = false;
  const heartbeat = setInterval(() => {
    if (!writing && !res.writableNeedDrain) res.write(part('{}'));
  }, deps.heartbeatMs);
  try {
    // A first heartbeat sends the headers at once, so the client knows the subscription is open.
    let open = await writeWhenReady(res, opening + part('{}'));
    for await (const result of open ? results : []) {
      writing = true;
      open = await writeWhenReady(res, part(JSON.stringify({ payload: deps.runner.format(result, scope) })));
      writing = false;
      if (!open) break;
    }
    if (open) res.end(closing);
  } catch (error) {
    // The source failed after the subscription started: said in the protocol's own way, then ended.
    scope.logger.error({ err: error }, 'a multipart subscription failed');
    const failure = { payload: null, errors: [{ message: 'The subscription failed', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] };
    if (!res.writableEnded) res.end(part(JSON.stringify(failure)) + closing);
  } finally {
    clearInterval(heartbeat);
    deps.streams.forget(results);
  }
}
