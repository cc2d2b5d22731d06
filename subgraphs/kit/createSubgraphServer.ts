import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import type { Logger } from '../../common/createLogger.js';
import { createHttpDrain } from '../../common/http/createHttpDrain.js';
import { subgraphHeaderLimits } from '../../common/http/subgraphHeaderLimits.js';
import { HttpError } from '../../common/http/HttpError.js';
import { parseRequestTarget } from '../../common/http/parseRequestTarget.js';
import type { BodyDigest } from '../../common/signing/bodyDigest.js';
import { bodyMatchesDigest } from '../../common/signing/verifySignature.js';
import { parseJsonBody } from '../../common/http/parseJsonBody.js';
import { readBody } from '../../common/http/readBody.js';
import { respondWithError } from '../../common/http/respondWithError.js';
import { writeJson } from '../../common/http/writeJson.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import { startServerSpan, TRACEPARENT } from '../../common/tracing/startServerSpan.js';
import { checkGatewaySignature, signatureRefusal } from './checkGatewaySignature.js';
import { errorLoggingPlugin } from './errorLoggingPlugin.js';
import { maskUnexpected } from './maskUnexpected.js';
import { createMemoryNonceStore } from './nonces/createMemoryNonceStore.js';
import { requestScopeOf, type RequestScope } from './requestScope.js';
import type { SigningPolicy } from './SigningPolicy.js';
import { createOpenStreams } from './streaming/createOpenStreams.js';
import { createOperationRunner } from './streaming/OperationRunner.js';
import { createSseTransport, acceptsEventStream } from './streaming/serveSse.js';
import { acceptsMultipartSubscription, serveMultipart } from './streaming/serveMultipart.js';
import { createWebSocketTransport } from './streaming/createWebSocketTransport.js';

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
  /** Limits of the streaming transports (WebSocket, SSE, multipart). */
  streaming?: StreamingLimits;
}

/** Limits and timings of the subscription transports; every one has a default. */
export interface StreamingLimits {
  /**
   * Largest WebSocket message, in bytes; a longer one closes the connection (1009).
   * @default 1 MiB
   */
  maxMessageBytes?: number;
  /**
   * Operations running at once on one WebSocket; one more is answered with a BAD_REQUEST error.
   * @default 1000
   */
  maxOperationsPerConnection?: number;
  /**
   * WebSocket ping interval in ms; a peer that has not answered a ping by the next is dropped.
   * @default 12000
   */
  keepAliveMs?: number;
  /**
   * How often a multipart subscription sends a `{}` heartbeat part, in ms.
   * @default 5000
   */
  heartbeatMs?: number;
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
  /** Runs after the server has stopped, to release what the subgraph made for it (an event bus). */
  onStop?: () => Promise<void>;
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

/**
 * A federation subgraph over plain Node HTTP: POST/GET on `/graphql`, `GET /health` (alive),
 * `GET /ready` (started, not draining). Subscriptions (and any operation) also run on `/graphql`
 * over WebSocket (`graphql-transport-ws`), SSE (`Accept: text/event-stream`) and Apollo's
 * multipart protocol (`Accept: multipart/mixed;subscriptionSpec="1.0"`), all signed alike.
 */
export function createSubgraphServer<TContext extends RequestScope>(options: SubgraphServerOptions<TContext>): SubgraphServer {
  const { logger, bodyLimitBytes = 10 * 1024 * 1024 } = options;
  const development = options.development ?? process.env.NODE_ENV !== 'production';
  // The gateway keeps a caller's identity within this (see subgraphHeaderLimits).
  const httpServer = createServer({ maxHeaderSize: subgraphHeaderLimits.maxBytes });
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
    onDrainStart: () => {
      draining = true;
      // Streams never finish by themselves: they are ended now, cleanly, so that their clients
      // (the gateway) subscribe again elsewhere rather than being cut at the grace period.
      streams.endAll();
      webSockets.close().catch((error: unknown) => logger.warn({ err: error }, 'could not close every WebSocket'));
    },
    logger,
    settings: { delay: 'DRAIN_DELAY_MS', gracePeriod: 'SHUTDOWN_GRACE_PERIOD_MS' },
  });
  // The server owns (and closes) the nonce store only when the caller gave none.
  const ownNonces = options.signing.nonces === undefined ? createMemoryNonceStore() : undefined;
  const nonces = options.signing.nonces ?? ownNonces!;
  const schema = buildSubgraphSchema({
    typeDefs: options.typeDefs,
    resolvers: options.resolvers as GraphQLResolverMap<unknown>,
  });
  const limits = options.streaming ?? {};
  const streams = createOpenStreams();
  const runner = createOperationRunner({ schema, createContext: options.createContext, development });
  const serveSse = createSseTransport({ runner, streams });
  const webSockets = createWebSocketTransport({
    httpServer,
    path: '/graphql',
    runner,
    logger,
    isDraining: () => draining || !started,
    maxMessageBytes: limits.maxMessageBytes ?? 1024 * 1024,
    maxOperationsPerConnection: limits.maxOperationsPerConnection ?? 1000,
    keepAliveMs: limits.keepAliveMs ?? 12_000,
    // The upgrade is a signed GET without a body: verified as one before it is accepted.
    accept: async (req, signal) => {
      const signed = await checkGatewaySignature(options.signing, nonces, options.name, req);
      if (signed !== undefined && signed.length !== 0) throw signatureRefusal('a WebSocket upgrade has no body, but a body was signed');
      const scope = requestScopeOf(req, signal, logger, signed !== undefined);
      scope.logger.debug({ url: req.url }, 'WebSocket accepted');
      return scope;
    },
  });
  const apollo = new ApolloServer<TContext>({
    schema,
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
    const signed = await checkGatewaySignature(options.signing, nonces, options.name, req);
    const raw = await readSignedBody(req, signed, bodyLimitBytes);
    const body = req.method === 'POST' ? parseJsonBody(req.headers, raw) : undefined;
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort();
    });
    if (req.method === 'POST') {
      const accept = req.headers.accept;
      const sse = acceptsEventStream(accept);
      if (sse || acceptsMultipartSubscription(accept)) {
        if (draining) throw new HttpError(ErrorCode.SERVICE_NOT_READY, 'The subgraph is shutting down; subscribe on another replica.', { connection: 'close' });
        const scope = requestScopeOf(req, aborted.signal, logger, signed !== undefined);
        res.setHeader('x-request-id', scope.requestId);
        if (sse) return serveSse(req, res, body, scope);
        return serveMultipart(res, body, scope, { runner, streams, heartbeatMs: limits.heartbeatMs ?? 5000 });
      }
    }
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
      await options.onStop?.();
    },
  };
}

// Reads the body of a request: a signed one exactly as long as its digest says, then checked
// against it; an unsigned one (development only) under the body limit.
async function readSignedBody(req: IncomingMessage, digest: BodyDigest | undefined, limitBytes: number): Promise<Buffer> {
  if (digest === undefined) return req.method === 'POST' ? readBody(req, limitBytes) : Buffer.alloc(0);
  if (digest.length > limitBytes) {
    throw new HttpError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than the limit of ${limitBytes} bytes`, { connection: 'close' });
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && declared !== String(digest.length)) throw signatureRefusal('the body length is not the signed one');
  const body = digest.length === 0 && declared === undefined ? Buffer.alloc(0) : await readBody(req, digest.length);
  if (!bodyMatchesDigest(body, digest)) throw signatureRefusal('the body is not the signed one');
  return body;
}
