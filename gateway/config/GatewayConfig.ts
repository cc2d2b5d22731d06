import type { SecurityConfig } from './SecurityConfig.js';
import type { TelemetryConfig } from './TelemetryConfig.js';
import type { TrafficConfig } from './TrafficConfig.js';

/**
 * The gateway's configuration after `loadGatewayConfig` has validated it and filled in every
 * default. The file on disk has the same shape with every key optional; the README's "Gateway
 * configuration" table lists every option with its default (a test keeps the two in step).
 */
export interface GatewayConfig extends SecurityConfig, TrafficConfig, TelemetryConfig {
  /**
   * `development` turns on introspection, the Sandbox landing page and stack traces in errors;
   * `production` turns them off and masks unexpected errors.
   * @default 'production' when NODE_ENV is 'production', else 'development'
   */
  mode: GatewayMode;
  /**
   * Answer introspection queries (`__schema`, `__type`).
   * @default true in development, false in production
   */
  introspection: boolean;
  /**
   * Serve the Apollo Sandbox when a browser opens the GraphQL path.
   * @default true in development, false in production
   */
  landingPage: boolean;
  /**
   * Serve the bundled GraphiQL explorer at `/graphiql`: no internet needed, for air-gapped
   * networks. It shows the schema, so production leaves it off unless enabled.
   * @default true in development, false in production
   */
  explorer: boolean;
  /**
   * Put `extensions.stacktrace` on errors, for debugging the gateway itself. Off by default in
   * development too: a validation error's stack is graphql-js internals, not help. Refused in
   * production.
   * @default false
   */
  includeStacktraceInErrors: boolean;
  supergraph: SupergraphConfig;
  server: ServerConfig;
  upstream: UpstreamConfig;
  metrics: MetricsConfig;
  /**
   * Per-subgraph settings, keyed by the subgraph's name in the supergraph. A name the supergraph
   * does not know is refused at start.
   * @default {}
   */
  subgraphs: Record<string, SubgraphConfig>;
}

export interface MetricsConfig {
  /**
   * Serve Prometheus metrics at `/metrics`.
   * @default true
   */
  enabled: boolean;
  /**
   * The request header that names the client, for the `client_name` label.
   * @default 'apollographql-client-name'
   */
  clientNameHeader: string;
  /**
   * The request header that gives the client's version, for the `client_version` label.
   * @default 'apollographql-client-version'
   */
  clientVersionHeader: string;
  /**
   * Where `/metrics` is served: `internal`, on its own listener (`port`, `host`), which the
   * public port does not answer (404); or `public`, on the gateway's port.
   * @default 'internal' in production, 'public' in development
   */
  listener: 'internal' | 'public';
  /**
   * The internal listener's port (with `listener: internal`); 0 picks a free one.
   * @default 9464 (0 when server.port is 0)
   */
  port: number;
  /**
   * The internal listener's interface (with `listener: internal`).
   * @default server.host
   */
  host: string;
  /**
   * Most values of each client-chosen label (operation name, client name and version) reported
   * at a time, those most used recently; the others are counted under `other`, and a metric keeps
   * at most ten times as many series with client-chosen values. The gateway's own labels are never bounded.
   * @default 100
   */
  maxLabelValues: number;
}

export type GatewayMode = 'development' | 'production';

export interface SupergraphConfig {
  /**
   * The composed supergraph SDL file (`portico compose` writes it). Relative paths are resolved
   * against the working directory; the value here is always absolute.
   * @default 'schema/supergraph.graphql'
   */
  path: string;
  /**
   * Download the supergraph from this http(s) URL instead of reading `path` (which is then
   * ignored); with `watch`, it is fetched again every `pollIntervalMs`.
   * @default none (the file at `path`)
   */
  url?: string;
  /**
   * Reload the supergraph when the file changes, without a restart and without failing requests
   * in flight. A new file that cannot be used is refused and the previous one keeps serving.
   * @default true
   */
  watch: boolean;
  /**
   * How often the file is checked for changes.
   * @default 1000
   */
  pollIntervalMs: number;
}

export interface ServerConfig {
  /**
   * The interface to listen on.
   * @default '0.0.0.0'
   */
  host: string;
  /**
   * The TCP port; 0 picks a free one.
   * @default 4000
   */
  port: number;
  /**
   * Where GraphQL requests (and the landing page) are served.
   * @default '/graphql'
   */
  graphqlPath: string;
  /**
   * The largest request body accepted; bigger ones get 413 `PAYLOAD_TOO_LARGE`.
   * @default 1048576 (1 MiB)
   */
  bodyLimitBytes: number;
  /**
   * How long a client has to send a GraphQL request's whole body, once its headers have arrived
   * and it is authenticated;
   * a slower one gets 408 `BODY_TIMEOUT` and its connection is closed. The body is read before
   * the request waits for an admission slot, so a slow sender never holds one.
   * @default 10000
   */
  bodyTimeoutMs: number;
  /**
   * Bytes of request bodies held at once, across all requests, from their first byte until the
   * request is done. Bodies are read before a request waits for an admission slot, so this, not
   * the slots, bounds their memory; past it a request gets 503 `OVERLOADED` with `Retry-After`.
   * One client address may hold an eighth of it (at least one whole body), so that one sender of
   * large, slow bodies cannot refuse everyone else.
   * @default 67108864 (64 MiB)
   */
  maxBodyBytesInFlight: number;
  /**
   * How long a client has to send a request's headers (Node's `headersTimeout`); past it Node
   * answers 408 and closes the connection. Node also ends any request whose headers and body
   * together take longer than `headersTimeoutMs + bodyTimeoutMs` (its `requestTimeout`).
   * @default 10000
   */
  headersTimeoutMs: number;
  /**
   * How long an idle keep-alive connection stays open (Node's `keepAliveTimeout`). Behind a load
   * balancer that reuses connections, set it above the balancer's idle timeout (60 s for nginx's
   * upstream keep-alive and AWS ALB), so that the balancer, not the gateway, closes them.
   * @default 5000
   */
  keepAliveTimeoutMs: number;
  /**
   * How long a stopping gateway waits for in-flight requests before closing their connections.
   * @default 10000
   */
  shutdownGracePeriodMs: number;
  /**
   * On SIGTERM, how long the listener stays open after `/ready` starts failing, so that load
   * balancers see the failure and stop sending new connections before they would be refused.
   * Set it to the load balancer's health check interval times its failure threshold. The
   * grace period starts after it.
   * @default 0
   */
  drainDelayMs: number;
  /**
   * The deadline of one client request. What is left of it bounds every subgraph call made for
   * the request (and is sent on, so that subgraphs bound their backend calls by it too).
   * @default 60000
   */
  requestTimeoutMs: number;
  /**
   * `/ready` also asks every subgraph `{ __typename }` (signed, like every subgraph request):
   * `true` fails while one does not answer, `"any"` only while none answers (with replicas, a
   * subgraph's own outage then does not take every gateway out of the load balancer).
   * @default false
   */
  readyChecksSubgraphs: boolean | 'any';
  /**
   * `/ready` also sends Redis a PING (when a store is `redis`) and fails while it does not
   * answer. For deployments whose rate limits fail closed (`rateLimit.onStoreError: closed`):
   * failing open, a gateway without Redis still serves.
   * @default false
   */
  readyChecksRedis: boolean;
  /**
   * Gateway processes serving the port (Node cluster): each builds its own gateway, so in-memory
   * state (rate-limit counters, APQ documents, the query plan cache) is per worker. `"auto"` in
   * the file is resolved here to `os.availableParallelism()`. With 1 there is no cluster at all.
   * @default 1
   */
  workers: number;
  /**
   * Serve HTTPS with this certificate and key (PEM files). Both or neither.
   * @default null (plain HTTP)
   */
  tls: TlsConfig | null;
  cors: CorsConfig;
  admission: AdmissionConfig;
  /**
   * How far (in percent) the JavaScript heap may grow past what survived the last full garbage
   * collection before the next one: lower keeps the process smaller at the cost of more
   * collections. 0 leaves it to V8, whose factor under load reaches 300 % and more. Set by
   * `portico gateway` for its process.
   * @default 50
   */
  heapGrowthPercent: number;
}

/** How many GraphQL operations execute at once, and what happens to the rest. */
export interface AdmissionConfig {
  /**
   * Operations executing at once; more wait in a first-come, first-served queue. `'auto'` moves
   * the limit with the event loop's delay: down while the process has more ready work than it
   * keeps up with, up while requests wait and the process is idle (operations waiting on
   * subgraphs), between 4 and 1024.
   * @default 'auto'
   */
  maxConcurrent: number | 'auto';
  /**
   * Requests waiting for a slot; one more gets 503 `OVERLOADED` with `Retry-After`.
   * @default 1000
   */
  maxQueue: number;
  /**
   * The longest a request waits for a slot before it gets 503 `OVERLOADED`.
   * @default 10000
   */
  queueTimeoutMs: number;
}

export interface TlsConfig {
  /** Absolute path of the PEM certificate (chain). */
  certFile: string;
  /** Absolute path of the PEM private key. */
  keyFile: string;
}

export interface CorsConfig {
  /**
   * Browser origins allowed to call the gateway (`scheme://host[:port]`), or `"*"` for any.
   * @default ['https://studio.apollographql.com', 'https://sandbox.embed.apollographql.com']
   */
  origins: string[];
  /**
   * Send `Access-Control-Allow-Credentials: true` (cookies). Refused together with `"*"`.
   * @default false
   */
  credentials: boolean;
  /**
   * How long browsers may cache a preflight answer.
   * @default 600
   */
  maxAgeSeconds: number;
  /**
   * Request headers browsers may send.
   * @default ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'apollographql-client-version', 'x-request-id', 'x-portico-cost']
   */
  allowHeaders: string[];
}

export interface UpstreamConfig {
  /**
   * The deadline of one request to a subgraph; `subgraphs.<name>.timeoutMs` overrides it.
   * @default 30000
   */
  timeoutMs: number;
  /**
   * The most keep-alive connections the gateway opens to one subgraph.
   * @default 128
   */
  maxConnectionsPerSubgraph: number;
  /**
   * Share one subgraph request among identical queries in flight at the same time (same
   * subgraph, same body, same caller). Mutations are never shared.
   * @default true
   */
  dedupQueries: boolean;
  retry: RetryConfig;
  breaker: BreakerConfig;
}

/** Retries of failed subgraph queries (never mutations). */
export interface RetryConfig {
  /**
   * Retries after the first attempt; 0 turns retrying off.
   * @default 2
   */
  maxRetries: number;
  /**
   * The backoff before the first retry; it doubles for each further one, with full jitter.
   * @default 50
   */
  initialDelayMs: number;
  /**
   * The longest backoff.
   * @default 1000
   */
  maxDelayMs: number;
  /**
   * Retries may add at most this percentage to the requests sent to the subgraph (over the last
   * 10 seconds), so that retries cannot multiply the load on a failing subgraph.
   * @default 20
   */
  budgetPercent: number;
  /**
   * Retries allowed per second on top of `budgetPercent`, so that a quiet gateway still retries.
   * @default 5
   */
  budgetMinPerSecond: number;
}

/** The circuit breaker in front of one subgraph. */
export interface BreakerConfig {
  /** @default true */
  enabled: boolean;
  /**
   * Consecutive failed requests (unreachable, timed out, HTTP 5xx) that open the circuit.
   * @default 5
   */
  failureThreshold: number;
  /**
   * How long an open circuit fails requests at once before letting one probe through.
   * @default 10000
   */
  resetTimeoutMs: number;
}

export interface SubgraphConfig {
  /**
   * Where to send this subgraph's requests instead of the routing URL in the supergraph.
   * @default the routing URL in the supergraph
   */
  url?: string;
  /**
   * The deadline of one request to this subgraph.
   * @default upstream.timeoutMs
   */
  timeoutMs: number;
  /** @default upstream.dedupQueries */
  dedupQueries: boolean;
  /** Each key defaults to the one in `upstream.retry`. */
  retry: RetryConfig;
  /** Each key defaults to the one in `upstream.breaker`. */
  breaker: BreakerConfig;
}
