import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Logger } from '../../common/createLogger.js';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers } from '../../common/headers.js';
import { HttpError } from '../../common/http/HttpError.js';
import { parseRequestTarget } from '../../common/http/parseRequestTarget.js';
import { respondWithError } from '../../common/http/respondWithError.js';
import { startServerSpan, TRACEPARENT, type ServerSpan } from '../../common/tracing/startServerSpan.js';
import { createCallCounter, type CallCounter } from '../shared/createCallCounter.js';
import { createRouter, type RestRequest, type Route } from './createRouter.js';
import { readJsonBody } from './readJsonBody.js';
import { sendJson, writeRestError } from './sendJson.js';

export interface RestServerOptions {
  /** The service's routes; `/health` and `/_admin/counts` are added. */
  routes: readonly Route[];
  logger: Logger;
  /** Where calls are counted. @default a new counter for this server */
  counter?: CallCounter;
}

/**
 * A JSON-over-HTTP server on node:http with what every demo REST backend shares: routing with
 * 404/405, JSON errors, per-route call counts and the admin routes that expose them. It is
 * built, not started: the caller decides where it listens.
 */
export function createRestServer(options: RestServerOptions): Server {
  const { logger } = options;
  const counter = options.counter ?? createCallCounter();
  const router = createRouter([...options.routes, ...adminRoutes(counter)]);

  const handle = async (req: IncomingMessage, res: ServerResponse, hop: ServerSpan): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = parseRequestTarget(req.url);
    logger.debug({ requestId: req.headers[Headers.requestId], traceId: hop.traceId, method, url: req.url }, 'request');

    const match = router.match(method, url.pathname);
    if (match.kind === 'none') throw new HttpError(ErrorCode.NOT_FOUND, `no route for ${url.pathname}`);
    if (match.kind === 'wrongMethod') {
      const allow = match.allow.join(', ');
      throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, `${method} is not allowed here; use ${allow}`, { allow });
    }
    const { route, params } = match;
    if (route.counted !== false) counter.record(`${method} ${route.pattern}`, `${method} ${req.url}`);

    const request: RestRequest = { params, query: url.searchParams, headers: req.headers, readJson: () => readJsonBody(req) };
    const reply = await route.handler(request);
    sendJson(res, reply.status, reply.body, reply.headers);
  };

  return createServer((req, res) => {
    const hop = startServerSpan({
      tracer: 'portico-backend',
      name: `${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`,
      traceparent: req.headers[TRACEPARENT],
      attributes: { 'http.request.method': req.method ?? 'GET' },
    });
    res.once('close', () => {
      hop.span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) hop.span.setStatus({ code: SpanStatusCode.ERROR });
      hop.span.end();
    });
    // Internals stay in the log; the client learns only that it was our fault.
    handle(req, res, hop).catch((error: unknown) => respondWithError(res, error, { logger, write: writeRestError, context: { url: req.url } }));
  });
}

/** Liveness and call counts; never counted themselves, so reading counts does not change them. */
function adminRoutes(counter: CallCounter): Route[] {
  return [
    { method: 'GET', pattern: '/health', counted: false, handler: () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      pattern: '/_admin/counts',
      counted: false,
      handler: () => ({ status: 200, body: { counts: counter.counts(), paths: counter.resources() } }),
    },
    {
      method: 'DELETE',
      pattern: '/_admin/counts',
      counted: false,
      handler: () => {
        counter.reset();
        return { status: 204 };
      },
    },
  ];
}
