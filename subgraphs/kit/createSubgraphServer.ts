import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { GraphQLFormattedError, DocumentNode } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { Logger } from '../../common/createLogger.js';
import { Headers } from '../../common/headers.js';
import { createHttpDrain } from '../../common/http/createHttpDrain.js';
import { HttpError } from '../../common/http/HttpError.js';
import { parseRequestTarget } from '../../common/http/parseRequestTarget.js';
import type { BodyDigest } from '../../common/signing/bodyDigest.js';
import { bodyMatchesDigest, verifySignedHeaders } from '../../common/signing/verifySignature.js';
import { parseJsonBody } from '../../common/http/parseJsonBody.js';
import { readBody } from '../../common/http/readBody.js';
import { respondWithError } from '../../common/http/respondWithError.js';
import { writeJson } from '../../common/http/writeJson.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import { startServerSpan, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import { errorLoggingPlugin } from './errorLoggingPlugin.js';
import { createMemoryNonceStore } from './nonces/createMemoryNonceStore.js';
import type { NonceStore } from './nonces/NonceStore.js';
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
  /**
   * How long the listener stays open (answering with `connection: close`) after `/ready` starts
   * failing on `stop`, so that a load balancer stops sending first. The grace period starts after it.
   * @default 0
   */
  drainDelayMs?: number;
}

export interface SubgraphServerOptions<TContext extends RequestScope> extends SubgraphRuntime {
  /**
   * The subgraph's name, as in the supergraph config. The gateway signs it into every request,
   * so a request signed for another subgraph is refused here.
   */
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
  /**
   * Fails `/ready` at once and answers every later response with `connection: close`, refuses new
   * connections after the drain delay, lets in-flight requests finish (up to the grace period).
   * Idle keep-alive connections are not cut while a request may be arriving on them.
   */
  stop(): Promise<void>;
}

/** A federation subgraph over plain Node HTTP: POST/GET on `/graphql`, `GET /health` (alive), `GET /ready` (started, not draining). */
export function createSubgraphServer<TContext extends RequestScope>(options: SubgraphServerOptions<TContext>): SubgraphServer {
  const { logger, bodyLimitBytes = 10 * 1024 * 1024 } = options;
  const development = options.development ?? process.env.NODE_ENV !== 'production';
  const httpServer = createServer();
  let started = false;
  let draining = false;
  // Apollo's ApolloServerPluginDrainHttpServer (and Node's server.close()) end idle keep-alive
  // connections, resetting a gateway request sent on one at that moment: a mutation is never
  // retried, and the failure counts against this subgraph's breaker. Created before the request
  // handler is attached, so that its request listener runs first.
  const httpDrain = createHttpDrain({
    httpServer,
    delayMs: options.drainDelayMs ?? 0,
    gracePeriodMs: options.shutdownGracePeriodMs ?? 10_000,
    onDrainStart: () => (draining = true),
    logger,
    settings: { delay: 'DRAIN_DELAY_MS', gracePeriod: 'SHUTDOWN_GRACE_PERIOD_MS' },
  });
  // The server owns (and closes) the nonce store only when the caller gave none.
  const ownNonces = options.signing.nonces === undefined ? createMemoryNonceStore() : undefined;
  const nonces = options.signing.nonces ?? ownNonces!;
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
      // Apollo Server's stop drains the HTTP server before it stops executing operations.
      { serverWillStart: async () => ({ drainServer: httpDrain.drain }) },
      ApolloServerPluginLandingPageDisabled(),
      // Per-field timings for Apollo Studio: a cost on every request, and no Studio here.
      ApolloServerPluginInlineTraceDisabled(),
      errorLoggingPlugin(),
    ],
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseRequestTarget(req.url);
    if (url.pathname === '/health') return writeJson(res, 200, { status: 'pass' });
    if (url.pathname === '/ready') {
      if (started && !draining) return writeJson(res, 200, { status: 'pass' });
      const reason = draining ? 'the subgraph is shutting down' : 'the subgraph is starting';
      const error = new HttpError(ErrorCode.SERVICE_NOT_READY, `Not ready: ${reason}`);
      return writeJson(res, error.status, { status: 'fail', reason, ...error.toBody() });
    }
    if (url.pathname !== '/graphql') throw new HttpError(ErrorCode.NOT_FOUND, `No route ${url.pathname}; GraphQL is served at /graphql`);
    // Every header-level check, the nonce included, passes before a byte of the body is read.
    const signed = await checkSignature(options.signing, nonces, options.name, req);
    const raw = await readSignedBody(req, signed, bodyLimitBytes);
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
    const scope = requestScopeOf(req, aborted.signal, logger, signed !== undefined, hop);
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
    handle(req, res).catch((error: unknown) => respondWithError(res, error, { logger }));
  });

  return {
    httpServer,
    start: async () => {
      await apollo.start();
      started = true;
    },
    stop: async () => {
      await apollo.stop();
      await ownNonces?.close();
    },
  };
}

// Runs before anything reads the identity headers or the body: a request that is not the
// gateway's, was changed on the way, was signed for another subgraph, or was seen before never
// reaches a resolver, and its body is never read (the refusal closes the connection). Without a
// signature at all, only development lets it through (so a developer can query a subgraph
// directly), and then as anonymous. Resolves with the digest the body must match when signed.
async function checkSignature(policy: SigningPolicy, nonces: NonceStore, audience: string, req: IncomingMessage): Promise<BodyDigest | undefined> {
  if (req.headers[Headers.signature] === undefined && !policy.requireSignature) return undefined;
  const verdict = verifySignedHeaders({
    secret: policy.secret,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    audience,
    headers: req.headers,
    maxAgeMs: policy.maxAgeMs,
  });
  if (!verdict.ok) throw refusal(verdict.reason);
  let first: boolean;
  try {
    first = await nonces.claim(verdict.nonce, verdict.expiresAt);
  } catch {
    throw new HttpError(
      ErrorCode.SERVICE_NOT_READY,
      'The subgraph cannot check signed requests for replays now (its nonce store is unreachable); retry shortly.',
      { connection: 'close' },
    );
  }
  if (!first) throw refusal('the request was seen before (a replay)');
  return verdict.body;
}

// Reads the body of a request: a signed one exactly as long as its digest says, then checked
// against it; an unsigned one (development only) under the body limit.
async function readSignedBody(req: IncomingMessage, digest: BodyDigest | undefined, limitBytes: number): Promise<Buffer> {
  if (digest === undefined) return req.method === 'POST' ? readBody(req, limitBytes) : Buffer.alloc(0);
  if (digest.length > limitBytes) {
    throw new HttpError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than the limit of ${limitBytes} bytes`, { connection: 'close' });
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && declared !== String(digest.length)) throw refusal('the body length is not the signed one');
  const body = digest.length === 0 && declared === undefined ? Buffer.alloc(0) : await readBody(req, digest.length);
  if (!bodyMatchesDigest(body, digest)) throw refusal('the body is not the signed one');
  return body;
}

function refusal(reason: string): HttpError {
  return new HttpError(ErrorCode.UNAUTHENTICATED, `Request refused: ${reason}. This subgraph answers only requests signed by the Portico gateway.`, {
    connection: 'close',
  });
}

// Outside development, an error nobody gave a code is a bug whose message may hold internals.
function maskUnexpected(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code !== undefined && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
