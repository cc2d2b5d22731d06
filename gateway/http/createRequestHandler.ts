import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { SpanStatusCode, context } from '@opentelemetry/api';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import type { Logger } from '../../common/createLogger.js';
import type { Readiness, ReadinessStatus } from '../health/createReadiness.js';
import type { MetricsExposition } from '../metrics/MetricsExposition.js';
import type { Outcome } from '../pipeline/Feature.js';
import { explorerPath, type ExplorerRoute } from '../explorer/createExplorerRoute.js';
import { queryPlanPath, type QueryPlanRoute } from '../explorer/createQueryPlanRoute.js';
import { HttpError } from '../../common/http/HttpError.js';
import { resolveRequestId } from '../../common/http/resolveRequestId.js';
import { parseRequestTarget } from '../../common/http/parseRequestTarget.js';
import { respondWithError } from '../../common/http/respondWithError.js';
import { writeJson } from '../../common/http/writeJson.js';
import { startServerSpan, TRACEPARENT, type ServerSpan } from '../../common/tracing/startServerSpan.js';
import { createGraphQLRoute, type GraphQLRouteOptions } from './createGraphQLRoute.js';

export interface RequestHandlerOptions extends GraphQLRouteOptions {
  /** `server.graphqlPath`. */
  graphqlPath: string;
  /** Serves the bundled explorer under `/graphiql`; null where `explorer` is off. */
  explorer: ExplorerRoute | null;
  /** Answers `POST /graphiql/plan` (the explorer's plan view): plans in development, refuses in production. */
  queryPlan?: QueryPlanRoute;
  /** What `/ready` answers. */
  readiness: Readiness;
  /** What `/metrics` serves here (`metrics.listener: public`); without it, `/metrics` is a 404 here. */
  exposition?: MetricsExposition;
  /** For failures of the HTTP layer itself. */
  logger: Logger;
}

/**
 * The gateway's HTTP transport: gives every request its id (and a GraphQL request its span),
 * routes it (the GraphQL path through the features to Apollo Server, see createGraphQLRoute;
 * `/health`, `/ready`, `/metrics`, the explorer), answers every refusal with a GraphQL-shaped
 * JSON body with `extensions.code`, and hands each finished request to the features' `finish`
 * hooks (metrics, the failed-request log).
 */
export function createRequestHandler(options: RequestHandlerOptions): RequestListener {
  const { graphqlPath, readiness, pipeline, logger } = options;
  const graphQLRoute = createGraphQLRoute(options);

  const route = async (req: IncomingMessage, res: ServerResponse, requestId: string, url: URL, hop: ServerSpan | undefined): Promise<Outcome> => {
    const method = req.method ?? 'GET';
    if (url.pathname === graphqlPath) return graphQLRoute(req, res, url, { requestId, traceparent: hop?.traceparent });
    if (url.pathname === '/metrics' && options.exposition) {
      if (method !== 'GET') throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, '/metrics answers GET only', { allow: 'GET' });
      // Rendered before the head: a failure (a cluster that cannot sum) is then still a 503.
      const text = await options.exposition.render();
      res.writeHead(200, { 'content-type': options.exposition.contentType });
      res.end(text);
      return { status: 200 };
    }
    // Browsers ask for it on every page they open here; there is none, and that is no failure worth a log line.
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' });
      res.end();
      return { status: 204 };
    }
    if (url.pathname === queryPlanPath && options.queryPlan) return { status: await options.queryPlan(req, res) };
    if (options.explorer && (url.pathname === explorerPath || url.pathname.startsWith(`${explorerPath}/`))) return { status: options.explorer(req, res, url) };
    if (url.pathname === '/health' || url.pathname === '/ready') {
      if (method !== 'GET' && method !== 'HEAD') {
        throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, `${url.pathname} answers GET and HEAD only`, { allow: 'GET, HEAD' });
      }
      const status: ReadinessStatus = url.pathname === '/health' ? { ready: true } : await readiness.check();
      const details = status.details && Object.keys(status.details).length > 0 ? { details: status.details } : {};
      if (status.ready) {
        writeJson(res, 200, { status: 'pass', ...details });
        return { status: 200 };
      }
      const error = new HttpError(ErrorCode.SERVICE_NOT_READY, `Not ready: ${status.reason}`);
      writeJson(res, error.status, { status: 'fail', reason: status.reason, ...details, ...error.toBody() });
      return { status: error.status };
    }
    throw new HttpError(ErrorCode.NOT_FOUND, `No route for ${method} ${bounded(url.pathname)}; GraphQL is served at ${graphqlPath}`);
  };

  return (req, res) => {
    const startedAt = performance.now();
    const requestId = resolveRequestId(req.headers[HeaderNames.requestId]);
    res.setHeader(HeaderNames.requestId, requestId);
    const method = req.method ?? 'GET';
    // For the log and the span: a path is the client's text, up to Node's header size.
    const path = bounded((req.url ?? '/').split('?')[0] ?? '/');
    // GraphQL requests only: a span for every health probe would bury the traces worth reading.
    const hop =
      path === graphqlPath
        ? startServerSpan({
            tracer: 'portico-gateway',
            name: `${method} ${path}`,
            traceparent: req.headers[TRACEPARENT],
            attributes: { 'http.request.method': method, 'url.path': path },
          })
        : undefined;

    const respond = async (): Promise<Outcome> => {
      try {
        return await route(req, res, requestId, parseRequestTarget(req.url), hop);
      } catch (error) {
        const refusal = respondWithError(res, error, { logger, context: { requestId } });
        return { status: refusal.status, errors: [refusal] };
      }
    };

    // Apollo Gateway's own spans (plan, fetch) become children of the request's span.
    void (hop ? context.with(hop.context, respond) : respond())
      .then((outcome) => {
        if (hop) {
          hop.span.setAttribute('http.response.status_code', outcome.status);
          if (outcome.status >= 500) hop.span.setStatus({ code: SpanStatusCode.ERROR });
          hop.span.end();
        }
        // Field by field, every request the same shape: on Node 20 a spread followed by fields
        // made each of these objects a hidden class of its own, which V8's young-generation
        // collector then kept alive with the request (docs/performance.md, step 37).
        pipeline.finish({
          status: outcome.status,
          errors: outcome.errors,
          unseenAnswer: outcome.unseenAnswer,
          unwritten: outcome.unwritten,
          requestId,
          traceId: hop?.traceId,
          method,
          path,
          durationMs: Math.round(performance.now() - startedAt),
        });
      })
      .catch((error: unknown) => {
        // Nothing may escape a request as an unhandled rejection: that would end the process.
        try {
          logger.error({ err: error, requestId }, 'unexpected error finishing a request; closing the connection');
        } catch {
          // The logger itself failed: there is nobody left to tell, and throwing here would end the process.
        }
        res.destroy();
      });
  };
}

const MAX_LOGGED_PATH = 256;

/** A client's path, cut to what a log line or an error message needs. */
function bounded(path: string): string {
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}...` : path;
}
