import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { GraphQLFormattedError, DocumentNode } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { Logger } from '../../common/createLogger.js';
import { Headers } from '../../common/headers.js';
import { HttpError } from '../../common/http/HttpError.js';
import { verifySignature } from '../../common/signing/verifySignature.js';
import { parseJsonBody } from '../../common/http/parseJsonBody.js';
import { readBody } from '../../common/http/readBody.js';
import { writeJson } from '../../common/http/writeJson.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import { startServerSpan, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import { errorLoggingPlugin } from './errorLoggingPlugin.js';
import { requestScopeOf, type RequestScope } from './requestScope.js';
import type { SigningPolicy } from './SigningPolicy.js';

/** What every subgraph server is given by its entry (or a test), whatever its backends. */
export interface SubgraphRuntime {
  logger: Logger;
  /** How requests are checked to come from the gateway. */
  signing: SigningPolicy;
  /**
   * Answers introspection and leaves unexpected errors unmasked.
   * @default process.env.NODE_ENV !== 'production'
   */
  development?: boolean;
  /**
   * How long `stop` lets requests in flight run before their connections are closed.
   * @default 10000
   */
  shutdownGracePeriodMs?: number;
}

export interface SubgraphServerOptions<TContext extends RequestScope> extends SubgraphRuntime {
  /** The subgraph's name, as in the supergraph config. */
  name: string;
  typeDefs: DocumentNode;
  /** The subgraph's resolvers, typed by its generated `Resolvers`. */
  resolvers: object;
  /** Builds a request's context from its scope: fresh DataLoaders every time. */
  createContext: (scope: RequestScope) => TContext;
  /**
   * Largest request body accepted, in bytes.
   * @default 10 MiB
   */
  bodyLimitBytes?: number;
}

export interface SubgraphServer {
  /** Not listening yet: the caller chooses where. */
  httpServer: Server;
  /** Starts Apollo Server; call before listening. */
  start(): Promise<void>;
  /** Fails `/ready` at once, refuses new connections, lets in-flight requests finish (up to the grace period). */
  stop(): Promise<void>;
}

/** A federation subgraph over plain Node HTTP: POST/GET on `/graphql`, `GET /health` (alive), `GET /ready` (started, not draining). */
export function createSubgraphServer<TContext extends RequestScope>(options: SubgraphServerOptions<TContext>): SubgraphServer {
  const { logger, bodyLimitBytes = 10 * 1024 * 1024 } = options;
  const development = options.development ?? process.env.NODE_ENV !== 'production';
  const httpServer = createServer();
  let started = false;
  let draining = false;
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({
      typeDefs: options.typeDefs,
      resolvers: options.resolvers as GraphQLResolverMap<unknown>,
    }),
    introspection: development,
    // The gateway would pass a stack on to the client; the error log keeps it instead.
    includeStacktraceInErrorResponses: false,
    formatError: development ? undefined : maskUnexpected,
    // The entry (runSubgraph) handles signals, so that it can drain and exit 0. Apollo's own
    // handler would stop too and then re-raise the signal, killing the process mid-drain.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.shutdownGracePeriodMs ?? 10_000 }),
      ApolloServerPluginLandingPageDisabled(),
      // Per-field timings for Apollo Studio: a cost on every request, and no Studio here.
      ApolloServerPluginInlineTraceDisabled(),
      errorLoggingPlugin(),
    ],
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/health') return writeJson(res, 200, { status: 'pass' });
    if (url.pathname === '/ready') {
      if (started && !draining) return writeJson(res, 200, { status: 'pass' });
      const reason = draining ? 'the subgraph is shutting down' : 'the subgraph is starting';
      const error = new HttpError(ErrorCode.SERVICE_NOT_READY, `Not ready: ${reason}`);
      return writeJson(res, error.status, { status: 'fail', reason, ...error.toBody() });
    }
    if (url.pathname !== '/graphql') throw new HttpError(ErrorCode.NOT_FOUND, `No route ${url.pathname}; GraphQL is served at /graphql`);
    const raw = req.method === 'POST' ? await readBody(req, bodyLimitBytes) : Buffer.alloc(0);
    const signed = checkSignature(options.signing, req, raw);
    const body = req.method === 'POST' ? parseJsonBody(req.headers, raw) : undefined;
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    const hop = startServerSpan({
      tracer: 'portico-subgraph',
      name: `subgraph ${options.name}`,
      traceparent: req.headers[TRACEPARENT],
      attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': url.pathname },
    });
    const scope = requestScopeOf(req, aborted.signal, logger, signed, hop);
    res.setHeader('x-request-id', scope.requestId);
    scope.logger.debug({ method: req.method, url: req.url }, 'request');
    try {
      const response = await context.with(hop.context, () =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: toHttpGraphQLRequest(req, url, body),
          context: async () => options.createContext(scope),
        }),
      );
      hop.span.setAttribute('http.response.status_code', response.status ?? 200);
      await writeHttpGraphQLResponse(res, response);
    } catch (error) {
      hop.span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      hop.span.end();
    }
  }

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (!(error instanceof HttpError)) logger.error({ err: error }, 'request failed outside GraphQL execution');
      const refusal = error instanceof HttpError ? error : new HttpError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
      if (!res.headersSent) writeJson(res, refusal.status, refusal.toBody(), refusal.headers);
      else res.destroy();
    });
  });

  return {
    httpServer,
    start: async () => {
      await apollo.start();
      started = true;
    },
    stop: () => {
      draining = true;
      return apollo.stop();
    },
  };
}

// Runs before anything reads the identity headers: a request that is not the gateway's, or that
// was changed on the way, never reaches a resolver. Without a signature at all, only development
// lets it through (so a developer can query a subgraph directly), and then as anonymous.
// Returns whether the request is signed, that is, whether its identity headers can be trusted.
function checkSignature(policy: SigningPolicy, req: IncomingMessage, body: Buffer): boolean {
  if (req.headers[Headers.signature] === undefined && !policy.requireSignature) return false;
  const verdict = verifySignature({ secret: policy.secret, method: req.method ?? 'GET', path: req.url ?? '/', body, headers: req.headers, maxAgeMs: policy.maxAgeMs });
  if (!verdict.ok) {
    throw new HttpError(ErrorCode.UNAUTHENTICATED, `Request refused: ${verdict.reason}. This subgraph answers only requests signed by the Portico gateway.`);
  }
  return true;
}

// Outside development, an error nobody gave a code is a bug whose message may hold internals.
function maskUnexpected(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code !== undefined && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
