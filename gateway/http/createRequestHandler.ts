import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import { SpanStatusCode, context } from '@opentelemetry/api';
import { ErrorCode } from '../../common/errorCodes.js';
import { Headers as HeaderNames } from '../../common/headers.js';
import type { Logger } from '../../common/createLogger.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { FailedRequestLog } from '../plugins/createFailedRequestLog.js';
import type { Readiness, ReadinessStatus } from '../health/createReadiness.js';
import type { Authenticator } from '../auth/createAuthenticator.js';
import type { Cors } from './createCors.js';
import type { Admission } from '../traffic/createAdmission.js';
import type { AddressLimit } from '../traffic/createAddressLimit.js';
import type { MetricsExposition } from '../metrics/MetricsExposition.js';
import type { LimitsConfig } from '../config/TrafficConfig.js';
import { createDocumentGuard, type DocumentGuard } from './createDocumentGuard.js';
import { explorerPath, type ExplorerRoute } from '../explorer/createExplorerRoute.js';
import { HttpError } from '../../common/http/HttpError.js';
import { checkJsonText } from '../../common/http/checkJsonText.js';
import type { ByteBudget } from '../../common/http/createByteBudget.js';
import { graphQLOverHttpStatus } from '../../common/http/graphQLOverHttpStatus.js';
import { parseJsonBody } from '../../common/http/parseJsonBody.js';
import { readBody } from '../../common/http/readBody.js';
import { resolveRequestId } from '../../common/http/resolveRequestId.js';
import { respondWithError } from '../../common/http/respondWithError.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import { writeJson } from '../../common/http/writeJson.js';
import { startServerSpan, TRACEPARENT, type ServerSpan } from '../../common/tracing/startServerSpan.js';

export interface RequestHandlerOptions {
  /** A started Apollo Server: it runs every request to `graphqlPath`. */
  apollo: ApolloServer<GatewayContext>;
  /** `server.graphqlPath`. */
  graphqlPath: string;
  /** `server.bodyLimitBytes`. */
  bodyLimitBytes: number;
  /** `server.bodyTimeoutMs`: the body is read under it, before the request takes an admission slot. */
  bodyTimeoutMs: number;
  /** `server.maxBodyBytesInFlight`: what every body being held shares, until its request is done, with a share per client. */
  bodyBudget: ByteBudget;
  /** A request's client address (through trusted proxies): whose share of `bodyBudget` its body takes, whose turn it waits for in admission. */
  clientAddressOf: (req: IncomingMessage) => string;
  /** `server.requestTimeoutMs`: what is left of it bounds the subgraph calls. */
  requestTimeoutMs: number;
  /** `limits`: the most operations in one JSON array body, and the document limits. */
  limits: LimitsConfig;
  /** Whether Apollo Server serves the Sandbox to browsers on GET. */
  landingPage: boolean;
  /** Serves the bundled explorer under `/graphiql`; null where `explorer` is off. */
  explorer: ExplorerRoute | null;
  /** CORS for the GraphQL path. */
  cors: Cors;
  /** Who is calling: run once per GraphQL request, before its body is read. */
  authenticator: Authenticator;
  /** Operations executing at once: a GraphQL request waits for a slot once its body is read and checked. */
  admission: Admission;
  /** What `/ready` answers. */
  readiness: Readiness;
  /** Counts refusals; with `exposition`, `/metrics` serves it (without, `/metrics` is a 404 here). */
  metrics?: { exposition?: MetricsExposition; countRejection(code: string): void };
  /** `rateLimit.perAddress`, run on every GraphQL request before authentication and the body. */
  limitAddress?: AddressLimit | null;
  /** Where each finished request is reported. */
  failedRequestLog: FailedRequestLog;
  /** For failures of the HTTP layer itself. */
  logger: Logger;
}

// For the log only: the client left before the gateway answered (nginx's convention).
const CLIENT_CLOSED_REQUEST = 499;

interface Outcome {
  status: number;
  graphQLRequest?: HTTPGraphQLRequest;
  clientErrors?: readonly { message: string; code?: unknown }[];
}

/**
 * The gateway's HTTP transport: turns Node requests into Apollo Server's `HTTPGraphQLRequest`
 * and back, and serves `/health` and `/ready`. Every refusal is a GraphQL-shaped JSON body
 * with `extensions.code`; every response carries the request id.
 */
export function createRequestHandler(options: RequestHandlerOptions): RequestListener {
  const { graphqlPath, readiness, failedRequestLog, logger } = options;
  const guardDocuments = createDocumentGuard(options.limits);

  const route = async (req: IncomingMessage, res: ServerResponse, requestId: string, url: URL, hop: ServerSpan | undefined): Promise<Outcome> => {
    const method = req.method ?? 'GET';
    if (url.pathname === graphqlPath) return handleGraphQL(options, guardDocuments, req, res, { requestId, traceparent: hop?.traceparent }, url);
    if (url.pathname === '/metrics' && options.metrics?.exposition) {
      if (method !== 'GET') throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, '/metrics answers GET only', { allow: 'GET' });
      // Rendered before the head: a failure (a cluster that cannot sum) is then still a 503.
      const text = await options.metrics.exposition.render();
      res.writeHead(200, { 'content-type': options.metrics.exposition.contentType });
      res.end(text);
      return { status: 200 };
    }
    // Browsers ask for it on every page they open here; there is none, and that is no failure worth a log line.
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' });
      res.end();
      return { status: 204 };
    }
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
        return await route(req, res, requestId, new URL(req.url ?? '/', 'http://gateway.invalid'), hop);
      } catch (error) {
        const refusal = respondWithError(res, error, { logger, context: { requestId } });
        return { status: refusal.status, clientErrors: refusal.toBody().errors.map(({ message, extensions }) => ({ message, code: extensions.code })) };
      }
    };

    // Apollo Gateway's own spans (plan, fetch) become children of the request's span.
    void (hop ? context.with(hop.context, respond) : respond()).then((outcome) => {
      if (hop) {
        hop.span.setAttribute('http.response.status_code', outcome.status);
        if (outcome.status >= 500) hop.span.setStatus({ code: SpanStatusCode.ERROR });
        hop.span.end();
      }
      const traceId = hop ? { traceId: hop.traceId } : {};
      // Each distinct refusal code once per request: a batch of ten refused operations is one request.
      for (const code of new Set((outcome.clientErrors ?? []).map((error) => error.code))) {
        if (typeof code === 'string') options.metrics?.countRejection(code);
      }
      failedRequestLog.finish({ ...outcome, requestId, ...traceId, method, path, durationMs: Math.round(performance.now() - startedAt) });
    }).catch((error: unknown) => {
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

/** The GraphQL path: CORS, authentication, body and limits, an admission slot, then Apollo Server. */
async function handleGraphQL(
  options: RequestHandlerOptions,
  guardDocuments: DocumentGuard,
  req: IncomingMessage,
  res: ServerResponse,
  { requestId, traceparent }: { requestId: string; traceparent: string | undefined },
  url: URL,
): Promise<Outcome> {
  const method = req.method ?? 'GET';
  options.cors.decorate(req, res);
  // First: whatever this request is refused for later has counted against its address.
  if (method !== 'OPTIONS') await options.limitAddress?.(req, res);
  if (method === 'OPTIONS') {
    const answer = options.cors.preflight(req);
    if (answer instanceof HttpError) throw answer;
    for (const [name, value] of Object.entries(answer)) res.setHeader(name, value);
    res.statusCode = 204;
    res.end();
    return { status: 204 };
  }
  if (method !== 'GET' && method !== 'POST') {
    throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, `GraphQL requests use GET or POST, not ${method}`, {
      allow: 'GET, POST, OPTIONS',
    });
  }

  if (method === 'GET' && !url.searchParams.has('query') && !url.searchParams.has('extensions')) {
    // Apollo Server would answer with its CSRF message, which does not say what is missing.
    const browser = (req.headers.accept ?? '').includes('text/html');
    if (!(browser && options.landingPage)) {
      throw new HttpError(
        ErrorCode.BAD_REQUEST,
        browser
          ? 'The Sandbox landing page is off here (landingPage: false); send GraphQL requests as POST with JSON'
          : 'A GraphQL GET needs a "query" parameter and the header "apollo-require-preflight: true" (against cross-site request forgery); or POST a JSON body such as {"query": "{ __typename }"}',
      );
    }
  }

  // A request waiting for a slot, and the subgraph calls made for it, stop when its client goes
  // away: watched from here, so that a client gone during authentication takes no slot.
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  // Before the body: a refused caller costs no parsing.
  const viewer = await options.authenticator.authenticate(req.headers);
  // The whole request, read under server.bodyTimeoutMs and measured within every limit, before it
  // waits for a slot: a client that sends slowly, or sends what will be refused, never holds one.
  let raw: Buffer | undefined;
  const client = options.clientAddressOf(req);
  const account = options.bodyBudget.account(client);
  try {
    raw = method === 'POST' ? await readBody(req, options.bodyLimitBytes, { timeoutMs: options.bodyTimeoutMs, budget: account }) : undefined;
  } catch (error) {
    if (abort.signal.aborted) return { status: CLIENT_CLOSED_REQUEST };
    throw error;
  }
  // Its bytes count against server.maxBodyBytesInFlight until the request is done.
  try {
    return await serveGraphQL(options, guardDocuments, req, res, { requestId, traceparent }, url, { viewer, abort, raw, client });
  } finally {
    if (raw) account.give(raw.length);
  }
}

/** A GraphQL request whose body has arrived: its limits, an admission slot, then Apollo Server. */
async function serveGraphQL(
  options: RequestHandlerOptions,
  guardDocuments: DocumentGuard,
  req: IncomingMessage,
  res: ServerResponse,
  { requestId, traceparent }: { requestId: string; traceparent: string | undefined },
  url: URL,
  { viewer, abort, raw, client }: { viewer: Awaited<ReturnType<Authenticator['authenticate']>>; abort: AbortController; raw: Buffer | undefined; client: string },
): Promise<Outcome> {
  const body = raw ? parseJsonBody(req.headers, raw, options.limits) : undefined;
  if (!raw) checkGetParameters(url, options.limits);
  guardDocuments(body ?? { query: url.searchParams.get('query') });
  let release: () => void;
  try {
    release = await options.admission.acquire(abort.signal, client);
  } catch (error) {
    if (abort.signal.aborted) return { status: CLIENT_CLOSED_REQUEST };
    throw error;
  }
  let response: HTTPGraphQLResponse;
  let graphQLRequest: HTTPGraphQLRequest;
  try {
    graphQLRequest = toHttpGraphQLRequest(req, url, body);
    // The deadline starts once the request is taken; its wait is bounded by the queue's timeout.
    const deadlineAt = Date.now() + options.requestTimeoutMs;
    // An answer can depend on who asked: no HTTP cache may keep anything Apollo Server answers
    // here (the Sandbox page too); a header it sets itself, such as APQ's, still wins.
    res.setHeader('cache-control', 'no-store');
    const answer = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: graphQLRequest,
      context: async () => ({ requestId, signal: abort.signal, deadlineAt, clientAddress: req.socket.remoteAddress ?? '', viewer, ...(traceparent ? { traceparent } : {}) }),
    });
    response = { ...answer, status: graphQLOverHttpStatus(answer) };
    await writeHttpGraphQLResponse(res, response);
  } catch (error) {
    // Nobody is left to answer: a client that went away is no failure of the gateway's.
    if (abort.signal.aborted) return { status: CLIENT_CLOSED_REQUEST };
    throw error;
  } finally {
    release();
  }
  const status = response.status ?? 200;
  return {
    status,
    graphQLRequest,
    ...(status >= 400 && response.body.kind === 'complete' ? { clientErrors: errorsIn(response.body.string) } : {}),
  };
}

/** GET's JSON parameters, measured before Apollo Server parses them. */
function checkGetParameters(url: URL, limits: LimitsConfig): void {
  const variables = url.searchParams.get('variables');
  if (variables !== null) checkJsonText(Buffer.from(variables, 'utf8'), limits, 'The "variables" parameter', { variables: true });
  const extensions = url.searchParams.get('extensions');
  if (extensions !== null) checkJsonText(Buffer.from(extensions, 'utf8'), limits, 'The "extensions" parameter');
}

/** The errors of a JSON error body Apollo Server wrote, for the log. */
function errorsIn(body: string): { message: string; code?: unknown }[] {
  try {
    const parsed = JSON.parse(body) as { errors?: { message: string; extensions?: { code?: unknown } }[] };
    return (parsed.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code }));
  } catch {
    return [];
  }
}

const MAX_LOGGED_PATH = 256;

/** A client's path, cut to what a log line or an error message needs. */
function bounded(path: string): string {
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}...` : path;
}
