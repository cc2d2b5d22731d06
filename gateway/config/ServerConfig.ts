import { availableParallelism } from 'node:os';
import { Type, type StaticDecode } from 'typebox';
import { headerName, nullable, positive, section } from './configOptions.js';
import { defaultHeapGrowthPercent } from '../runtime/limitHeapGrowth.js';
import { webSocketConfigSchema } from './WebSocketConfig.js';

// Origins as browsers send them: no path, no trailing slash.
const ORIGIN_PATTERN = '^(\\*|https?://[^/\\s]+)$';
const WORKERS_ACCEPTS = 'a whole number of at least 1, or "auto" (one per available CPU)';
const READY_CHECKS_SUBGRAPHS_ACCEPTS = 'true (every subgraph must answer), "any" (one must) or false';
const MAX_CONCURRENT_ACCEPTS = 'a whole number of at least 1, or "auto" (follows the event loop)';

export const tlsConfigSchema = nullable(
  section({
    certFile: Type.String({
      minLength: 1,
      filePath: true,
      defaultNote: 'plain HTTP',
      description: 'PEM certificate (chain). With `server.tls.keyFile`, the gateway serves HTTPS. Both or neither; the files must exist.',
    }),
    keyFile: Type.String({ minLength: 1, filePath: true, defaultNote: 'plain HTTP', description: 'PEM private key.' }),
  }),
);

export const corsConfigSchema = section({
  origins: Type.Array(Type.String({ pattern: ORIGIN_PATTERN, accepts: 'an origin such as "https://app.example.com" (scheme://host[:port], no path) or "*"' }), {
    accepts: 'a list of origins such as ["https://app.example.com"], or ["*"]',
    default: ['https://studio.apollographql.com', 'https://sandbox.embed.apollographql.com'],
    description: 'Browser origins (`scheme://host[:port]`) allowed to call the gateway, or `["*"]` for any. Preflights from other origins get 403.',
  }),
  credentials: Type.Boolean({ default: false, description: 'Allow cookies (`Access-Control-Allow-Credentials`). Refused together with `"*"`.' }),
  maxAgeSeconds: Type.Integer({ minimum: 0, default: 600, description: 'How long browsers may cache a preflight answer.' }),
  allowHeaders: Type.Array(headerName(), {
    accepts: 'a list of HTTP header names',
    // x-portico-cost asks for the estimated cost in extensions.cost (demandControl.exposeCost).
    default: [
      'content-type',
      'authorization',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'apollographql-client-name',
      'apollographql-client-version',
      'x-request-id',
      'x-portico-cost',
    ],
    description: 'Request headers browsers may send.',
  }),
});

/** How many GraphQL operations execute at once, and what happens to the rest. */
export const admissionConfigSchema = section({
  maxConcurrent: Type.Union([Type.Integer({ minimum: 1, accepts: MAX_CONCURRENT_ACCEPTS }), Type.Literal('auto', { accepts: MAX_CONCURRENT_ACCEPTS })], {
    default: 'auto',
    description:
      "GraphQL operations executing at once; more wait their turn in a queue shared fairly between client addresses (once their body has been read and checked against `limits`). `auto` moves the limit (4 to 1024) with the event loop's delay: down while the process has more ready work than it keeps up with, up while requests wait and the process idles on slow subgraphs. A number fixes it. See [Admission control](#admission-control).",
  }),
  maxQueue: Type.Integer({
    minimum: 0,
    default: 1000,
    description: 'Requests waiting for a slot; one more gets 503 `OVERLOADED` with `Retry-After: 1`. `0`: no queue.',
  }),
  queueTimeoutMs: positive(10_000, {
    description: 'The longest a request waits for a slot before it gets 503 `OVERLOADED`. `server.requestTimeoutMs` starts once it is taken.',
  }),
});

export const serverConfigSchema = section({
  host: Type.String({ minLength: 1, default: '0.0.0.0', description: 'The interface to listen on. Flag: `--host`.' }),
  port: Type.Integer({ minimum: 0, maximum: 65_535, default: 4000, description: 'The TCP port; `0` picks a free one. Flag: `--port`.' }),
  listenBacklog: positive(4096, {
    description:
      "Connections the kernel completes and queues for the gateway to accept (listen(2)'s backlog; Linux caps it at `net.core.somaxconn`, 4096 by default). Node's default is 511: when more clients connect at once (thousands of WebSocket subscribers reconnecting after a restart), the kernel drops their handshakes or answers with SYN cookies it later resets, and clients see `ECONNRESET`.",
  }),
  graphqlPath: Type.String({
    pattern: '^/[A-Za-z0-9/_.~-]*$',
    accepts: 'a URL path starting with "/", such as "/graphql"',
    default: '/graphql',
    description: 'Where GraphQL (and the landing page) is served. `/health` and `/ready` are always served.',
  }),
  bodyLimitBytes: positive(1_048_576, { defaultNote: '1 MiB', description: 'The largest request body; bigger ones get 413 `PAYLOAD_TOO_LARGE`.' }),
  bodyTimeoutMs: positive(10_000, {
    description:
      "How long a client has to send a GraphQL request's whole body once its headers have arrived (and it is authenticated); slower ones get 408 `BODY_TIMEOUT` and their connection is closed. The body is read, and checked against `limits`, before the request waits for an admission slot, so a slow sender never holds one.",
  }),
  maxBodyBytesInFlight: positive(67_108_864, {
    defaultNote: '64 MiB',
    description:
      'Bytes of request bodies held at once, across all requests, from their first byte until the request is done. Bodies are read before a request waits for an admission slot, so this, not the slots, bounds their memory; past it a request gets 503 `OVERLOADED` with `Retry-After: 1`. One client address (as rate limits resolve it) may hold an eighth of it, at least one whole body, so one sender of large, slow bodies cannot refuse everyone else.',
  }),
  headersTimeoutMs: positive(10_000, {
    description:
      "How long a client has to send a request's headers (Node's `headersTimeout`); past it the connection gets 408 `REQUEST_TIMEOUT` and is closed. Node also ends a request whose headers and body together take longer than `headersTimeoutMs + bodyTimeoutMs` (its `requestTimeout`), the same way.",
  }),
  keepAliveTimeoutMs: positive(5000, {
    description:
      "How long an idle keep-alive connection stays open (Node's `keepAliveTimeout`). Behind a load balancer that reuses connections, set it above the balancer's idle timeout (60 s for nginx upstream keep-alive and AWS ALB), so the balancer closes them first.",
  }),
  shutdownGracePeriodMs: Type.Integer({
    minimum: 0,
    default: 10_000,
    description: 'On SIGTERM, how long in-flight requests may run before their connections are closed.',
  }),
  drainDelayMs: Type.Integer({
    minimum: 0,
    default: 0,
    description:
      'On SIGTERM, how long the listener stays open (answering with `connection: close`) after `/ready` starts failing, so that a load balancer stops sending before connections are refused: its check interval times its failure threshold. The grace period starts after it.',
  }),
  requestTimeoutMs: positive(60_000, {
    description:
      'The deadline of one client request. What is left of it bounds each subgraph call and is sent on as `x-portico-deadline-ms`, so subgraphs bound their backend calls by it too.',
  }),
  readyChecksSubgraphs: Type.Union(
    [Type.Boolean({ accepts: READY_CHECKS_SUBGRAPHS_ACCEPTS }), Type.Literal('any', { accepts: READY_CHECKS_SUBGRAPHS_ACCEPTS })],
    {
      default: false,
      description:
        "`/ready` also asks every subgraph `{ __typename }` (signed like every subgraph request, within 2 s): `true` answers 503 (naming the subgraphs, never their URLs) while one does not answer; `any` only while none answers (with replicas: a subgraph's own outage, which every replica sees alike, then does not take every gateway out of the load balancer). The log says where, once per change (in development, each subgraph's state is under `details.subgraphs`). See [Readiness policy](#readiness-policy).",
    },
  ),
  readyChecksRedis: Type.Boolean({
    default: false,
    description:
      "`/ready` also sends the gateway's Redis a `PING` (within 2 s, when a store is `redis`) and answers 503 `Redis not reachable` while it does not answer. For rate limits that fail closed (`rateLimit.onStoreError: closed`); failing open, a gateway without Redis still serves. See [Readiness policy](#readiness-policy).",
  }),
  // The loaded value is always a number: "auto" becomes the CPUs available.
  workers: Type.Decode(
    Type.Union([Type.Integer({ minimum: 1, accepts: WORKERS_ACCEPTS }), Type.Literal('auto', { accepts: WORKERS_ACCEPTS })], {
      default: 1,
      description:
        'Gateway processes sharing the port (Node cluster), or `auto` for one per available CPU. With `1` there is no cluster. Each worker has its own in-memory state: see [Workers](#using-several-cores-workers). Flag: `--workers`.',
    }),
    (workers) => (workers === 'auto' ? availableParallelism() : workers),
  ),
  admission: admissionConfigSchema,
  heapGrowthPercent: Type.Integer({
    minimum: 0,
    maximum: 1000,
    default: defaultHeapGrowthPercent,
    description:
      "How far the JavaScript heap may grow past what survived the last full garbage collection before the next one (V8's `--heap-growing-percent`, set by `portico gateway` for its process: the default from its start, before it loads its code, and another value once it has answered its first query). Lower: a smaller process, more collections. `0` leaves it to V8, whose factor under load reaches 300 % and more: on the benchmark, peak RSS about 400 MiB instead of about 280 MiB.",
  }),
  tls: tlsConfigSchema,
  cors: corsConfigSchema,
  websocket: webSocketConfigSchema,
});

export type ServerConfig = StaticDecode<typeof serverConfigSchema>;
export type AdmissionConfig = StaticDecode<typeof admissionConfigSchema>;
export type TlsConfig = NonNullable<StaticDecode<typeof tlsConfigSchema>>;
export type CorsConfig = StaticDecode<typeof corsConfigSchema>;
