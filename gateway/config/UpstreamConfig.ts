import { Type, type StaticDecode } from 'typebox';
import { fromOption, httpUrl, type OptionSettings, positive, section } from './configOptions.js';

/**
 * How a retry or breaker key gets its default: `upstream.retry` and `upstream.breaker` have the
 * shipped values, a subgraph's take each unset key from `upstream`.
 */
type Fallback = (key: string, value: number | boolean, description: string) => OptionSettings;

const shipped: Fallback = (_key, value, description) => ({ default: value, description });
const fromUpstream =
  (group: 'retry' | 'breaker'): Fallback =>
  (key) => ({ derived: fromOption(`upstream.${group}.${key}`), description: `As \`upstream.${group}.${key}\`, for this subgraph.` });

/** Retries of failed subgraph queries (never mutations). */
const retrySchema = (fallback: Fallback) =>
  section({
    maxRetries: Type.Integer({
      minimum: 0,
      maximum: 10,
      ...fallback(
        'maxRetries',
        2,
        'Retries of a failed query (unreachable, HTTP 502/503/504) after the first attempt; `0` turns retries off. Mutations are never retried.',
      ),
    }),
    initialDelayMs: Type.Integer({
      minimum: 0,
      ...fallback('initialDelayMs', 50, 'The backoff before the first retry; it doubles for each further one, with full jitter.'),
    }),
    maxDelayMs: Type.Integer({
      minimum: 0,
      ...fallback('maxDelayMs', 1000, "The longest backoff. No retry starts if its backoff would outlast the request's deadline."),
    }),
    budgetPercent: Type.Integer({
      minimum: 0,
      maximum: 100,
      ...fallback('budgetPercent', 20, 'Retries may add at most this percentage to the requests sent to a subgraph over the last 10 seconds.'),
    }),
    budgetMinPerSecond: Type.Integer({
      minimum: 0,
      ...fallback('budgetMinPerSecond', 5, 'Retries allowed per second on top of `budgetPercent`, so that a quiet gateway still retries.'),
    }),
  });

/** The circuit breaker in front of one subgraph. */
const breakerSchema = (fallback: Fallback) =>
  section({
    enabled: Type.Boolean(fallback('enabled', true, 'A circuit breaker per subgraph.')),
    failureThreshold: Type.Integer({
      minimum: 1,
      ...fallback(
        'failureThreshold',
        5,
        'Consecutive failed requests (unreachable, timed out, HTTP 5xx, an answer that is not GraphQL) that open the circuit; while open, requests fail at once with `SUBGRAPH_UNAVAILABLE`.',
      ),
    }),
    resetTimeoutMs: Type.Integer({
      minimum: 1,
      ...fallback(
        'resetTimeoutMs',
        10_000,
        'How long the circuit stays open before one probe request is let through; its success closes the circuit, its failure opens it again.',
      ),
    }),
  });

export const upstreamConfigSchema = section({
  timeoutMs: Type.Integer({
    minimum: 1,
    default: 30_000,
    description:
      'The deadline of one attempt to call a subgraph (response included), cut short by what is left of `server.requestTimeoutMs`. A subgraph that misses it gives `SUBGRAPH_TIMEOUT`.',
  }),
  maxResponseBytes: positive(32 * 1024 * 1024, {
    defaultNote: '32 MiB',
    description:
      "The largest answer the gateway reads from a subgraph, whatever its status: checked against `content-length` before the body is read, then counted as it arrives. Past it the request is aborted (its connection closed, nothing more read) and the fetch fails with `SUBGRAPH_ERROR`, not retried and not counted against the subgraph's circuit breaker (a caller's operation decides how large an answer is). An answer is held whole, decoded and parsed before it is merged (about four times its size in memory), so this bounds what a faulty or compromised subgraph can make one request cost. 32 MiB is some 190,000 entities of the demo's products with a review each, far more than an operation within `demandControl.maxCost` asks for; raise it under `subgraphs.<name>` for a subgraph known to answer more.",
  }),
  maxConnectionsPerSubgraph: Type.Integer({
    minimum: 1,
    default: 128,
    description: 'The most keep-alive connections opened to one subgraph. Connections are always kept alive and reused.',
  }),
  dedupQueries: Type.Boolean({
    default: true,
    description: 'Identical queries to a subgraph in flight at the same time (same subgraph, body and caller) share one request. Mutations never do.',
  }),
  subscriptionTransport: Type.Enum(['websocket', 'sse', 'multipart'], {
    default: 'websocket',
    description:
      'How the gateway opens subscriptions to a subgraph: `websocket` (`graphql-transport-ws`), `sse` (GraphQL over SSE, distinct connections) or `multipart` (Apollo multipart subscriptions). Every one is signed. See [Subscriptions](#subscriptions).',
  }),
  maxSubscriptions: positive(10_000, {
    description: 'Subscriptions active at once, over every transport; one more is refused with 503 `OVERLOADED`.',
  }),
  maxSubscriptionsPerAddress: positive(100, {
    description:
      'Subscriptions active at once from one client address (through `rateLimit.trustedProxies`), over every transport; one more is refused with 429 `RATE_LIMITED`.',
  }),
  maxSubscriptionUpstreams: positive(1000, {
    description:
      'Upstream subscriptions open at once (identical subscriptions share one); a subscription that needs one more is refused with 503 `OVERLOADED`.',
  }),
  retry: retrySchema(shipped),
  breaker: breakerSchema(shipped),
});

/** One subgraph's settings; each unset one is `upstream`'s. */
export const subgraphConfigSchema = section({
  url: Type.Optional(
    httpUrl({
      defaultNote: 'the routing URL in the supergraph',
      description: "Send this subgraph's requests elsewhere (per deployment). `<name>` must be a subgraph of the supergraph. Flag: `--subgraph-url NAME=URL`.",
    }),
  ),
  timeoutMs: Type.Integer({ minimum: 1, derived: fromOption('upstream.timeoutMs'), description: 'The deadline of one attempt to call this subgraph.' }),
  maxResponseBytes: Type.Integer({ minimum: 1, derived: fromOption('upstream.maxResponseBytes'), description: 'The largest answer read from this subgraph.' }),
  dedupQueries: Type.Boolean({ derived: fromOption('upstream.dedupQueries'), description: 'De-duplication for this subgraph.' }),
  subscriptionTransport: Type.Enum(['websocket', 'sse', 'multipart'], {
    derived: fromOption('upstream.subscriptionTransport'),
    description: 'How the gateway opens subscriptions to this subgraph.',
  }),
  retry: retrySchema(fromUpstream('retry')),
  breaker: breakerSchema(fromUpstream('breaker')),
});

/** Per-subgraph settings, keyed by the subgraph's name in the supergraph (checked at start). */
export const subgraphsConfigSchema = Type.Record(Type.String(), subgraphConfigSchema, {
  accepts: 'a mapping from subgraph name to { url, timeoutMs, maxResponseBytes, dedupQueries, subscriptionTransport, retry, breaker }',
  default: {},
});

export type UpstreamConfig = StaticDecode<typeof upstreamConfigSchema>;
export type RetryConfig = UpstreamConfig['retry'];
export type BreakerConfig = UpstreamConfig['breaker'];
export type SubgraphConfig = StaticDecode<typeof subgraphConfigSchema>;
