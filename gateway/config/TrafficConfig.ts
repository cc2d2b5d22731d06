import { Type, type StaticDecode } from 'typebox';
import { headerName, nullable, positive, section } from './configOptions.js';

// The traffic-protection sections of the config: document limits, demand control, rate limits,
// persisted documents and the Redis they can share. Every limit is on by default.

const store = (description: string) => Type.Enum(['memory', 'redis'], { default: 'memory', description });
const window = (seconds: number, description: string) => positive(seconds, { description });

/** Where `store: redis` keeps rate-limit counters and APQ documents. */
export const redisConfigSchema = section({
  url: nullable(
    Type.String({
      pattern: '^rediss?(\\+sentinel|\\+cluster)?://[^\\s]+$',
      accepts: 'a redis:// or rediss:// URL, redis+sentinel://host:port[,host:port…]/<primary name> or redis+cluster://host:port[,host:port…]',
      description:
        "`redis://[user:password@]host:port[/db]`; a primary found through Redis Sentinel, `redis+sentinel://[user:password@]host:port[,host:port…]/<primary name>[/db]` (`?sentinelPassword=` when the sentinels' password differs); or a Redis Cluster, `redis+cluster://[user:password@]host:port[,host:port…]` (`rediss://`, `rediss+sentinel://`, `rediss+cluster://` for TLS). Needed when a `store` below is `redis`. See [Redis beyond one node](#redis-beyond-one-node).",
    }),
  ),
  keyPrefix: Type.String({ default: 'portico:', description: 'Prefix of every key the gateway writes to Redis.' }),
  commandTimeoutMs: positive(250, {
    description:
      'How long the gateway waits for Redis to answer one command. A Redis that stops answering (paused, stopped, a network that drops packets without closing the connection) then costs a request at most this long per lookup, and counts as unreachable: rate limiting follows `rateLimit.onStoreError`, an APQ lookup is a miss. Redis answers in about a millisecond; the default leaves room for a slow network and a fork for a snapshot.',
  }),
});

/** Limits on the shape of each operation, checked before it is validated or planned. */
export const limitsConfigSchema = section({
  maxDocumentBytes: positive(32_768, { description: 'Largest operation text (UTF-8 bytes). Over it: 400 `MAX_DOCUMENT_BYTES_EXCEEDED`.' }),
  maxTokens: positive(5000, { description: 'Most lexical tokens in one document; parsing stops past it. 400 `MAX_TOKENS_EXCEEDED`.' }),
  maxDepth: positive(15, { description: 'Deepest field nesting, fragments expanded. 400 `MAX_DEPTH_EXCEEDED`.' }),
  maxAliases: positive(30, { description: 'Most aliases in one operation, fragments expanded. 400 `MAX_ALIASES_EXCEEDED`.' }),
  maxRootFields: positive(20, { description: 'Most root fields in one operation. 400 `MAX_ROOT_FIELDS_EXCEEDED`.' }),
  maxDirectives: positive(50, { description: 'Most directives in one document. 400 `MAX_DIRECTIVES_EXCEEDED`.' }),
  maxBatchSize: positive(10, { description: 'Most operations in one batched (JSON array) request. 400 `MAX_BATCH_SIZE_EXCEEDED`.' }),
  maxExpandedFields: positive(2000, {
    description:
      'Most fields in one operation once every fragment spread is written out (a fragment spread twice counts twice), checked before validation. The benchmark query has 55. 400 `MAX_EXPANDED_FIELDS_EXCEEDED`.',
  }),
  maxDeferredFragments: positive(16, {
    description:
      'Most `@defer` fragments in one operation once every fragment spread is written out (a fragment spread twice counts twice): each can be one more part of the answer, and one more round of subgraph calls. 400 `MAX_DEFERRED_FRAGMENTS_EXCEEDED`.',
  }),
  maxJsonDepth: positive(32, {
    description:
      "Deepest nesting of arrays and objects in a request's JSON (a POST body, or GET's `variables` and `extensions`), measured on the raw text before it is parsed. 400 `MAX_JSON_DEPTH_EXCEEDED`.",
  }),
  maxVariablesBytes: positive(65_536, {
    defaultNote: '64 KiB',
    description: 'Largest `variables` of one operation, in bytes as sent, measured before the body is parsed. 400 `MAX_VARIABLES_BYTES_EXCEEDED`.',
  }),
});

export const demandControlConfigSchema = section({
  maxCost: positive(5000, { description: 'Largest estimated cost of one operation. 400 `COST_LIMIT_EXCEEDED`.' }),
  defaultListSize: Type.Integer({ minimum: 0, default: 10, description: 'Size assumed for a list field without `@listSize` or a slicing argument.' }),
  exposeCost: Type.Boolean({ default: true, description: 'Answer `x-portico-cost: true` with `extensions.cost` (`estimated`, `max`).' }),
});

export const rateLimitRuleSchema = section(
  {
    /** Named in `RATE_LIMITED` errors and logs. */
    name: Type.String({ minLength: 1 }),
    operationName: Type.Optional(Type.String({ minLength: 1 })),
    rootField: Type.Optional(
      Type.String({
        pattern: '^(Query|Mutation|Subscription)\\.[_A-Za-z][_0-9A-Za-z]*$',
        accepts: 'a root field such as "Query.users" or "Mutation.createReview"',
      }),
    ),
    windowSeconds: Type.Integer({ minimum: 1 }),
    limit: Type.Integer({ minimum: 1 }),
  },
  { default: undefined },
);

export const rateLimitConfigSchema = section({
  enabled: Type.Boolean({
    default: true,
    description: 'Rate limit each client address, and each client (token subject, else known API key, else address). Over a limit: 429 `RATE_LIMITED`.',
  }),
  store: store('`memory` (one process) or `redis` (counters shared by every replica on `redis.url`).'),
  onStoreError: Type.Enum(['open', 'closed'], {
    default: 'open',
    description: 'When Redis cannot be reached: `open` lets requests through and logs a warning; `closed` answers 503 `SERVICE_NOT_READY`.',
  }),
  apiKeyHeader: headerName({
    default: 'x-api-key',
    description:
      'The header that identifies a client without a token, when its value is a known key (`rateLimit.apiKeys`, or in Redis); an unknown key counts as no key.',
  }),
  apiKeys: Type.Array(Type.String({ minLength: 1, accepts: 'a non-empty API key' }), {
    default: [],
    description:
      'The API keys the gateway knows, typically `${env.PORTICO_API_KEYS}` (comma-separated); kept in memory as SHA-256 hashes. With `store: redis`, keys whose SHA-256 (hex) is in the set `<redis.keyPrefix>apikeys` are known too.',
  }),
  trustedProxies: Type.Array(Type.String({ pattern: '^[0-9A-Fa-f:.]+(/\\d{1,3})?$', accepts: 'an IP address or CIDR range such as "10.0.0.0/8"' }), {
    default: [],
    description:
      'Proxy addresses or CIDR ranges whose `X-Forwarded-For` is believed; elsewhere the TCP peer is the client. A forwarded address written with a port or in brackets counts as the address; a hop that is no address, as the proxy that forwarded it.',
  }),
  perAddress: section({
    windowSeconds: window(60, 'Window of the per-address rule (`address`).'),
    limit: positive(3000, {
      description:
        'HTTP requests per window and client address (IPv6 by /64), whatever the token or key; counted before authentication and the body, so refused requests count too.',
    }),
    holdRefusalsMs: Type.Integer({
      minimum: 0,
      default: 5000,
      description:
        "How long an address over its limit waits for each 429 (at most until its window resets); the 429 then closes the connection. The per-client rules' 429s (`default`, `cost`, `rules`; a whole JSON answer, not a stream or a WebSocket's) are held the same way, keyed by the address, until the refusing rule's window resets. A client that sends its next request only once answered then costs the gateway about one refusal per request it keeps in flight per hold, not as many as the gateway can answer. `0` answers at once. See [Security model](#security-model).",
    }),
    maxHeldRequests: positive(64, {
      description:
        'Most refusals held at once for one address; past it, a request over the limit has its connection closed without an answer (a client that pipelines or opens ever more connections). Across all addresses at most 4096 are held; past that, refusals are answered at once.',
    }),
    maxConnections: Type.Integer({
      minimum: 0,
      default: 256,
      description:
        'Open connections from one TCP peer address (IPv6 by /64), per worker (with `server.workers` N, a peer may hold N times as many); one more is closed as it is accepted, before TLS or HTTP, and counted in `portico_connections_refused_total`. A peer in `trustedProxies` is exempt (the balancer limits its own clients); a balancer not listed there makes all its clients share this many. `0`: no cap.',
    }),
    maxInFlight: Type.Integer({
      minimum: 0,
      default: 8,
      description:
        "Requests of one client address (as `trustedProxies` resolve it) being processed at once, per worker, from the moment its count is taken until it is answered; more wait, unread, in arrival order (at most `server.admission.queueTimeoutMs`, then 503 `OVERLOADED`). Every other client's request then meets at most this many of one address's in progress, however many that address sends at once or however much each costs (a token checked, a body read, a document parsed, an operation run). A browser uses up to 6 connections; raise it for a server-side client that sends many requests at once from one address. `0`: no cap. See [Security model](#security-model).",
    }),
    newDocuments: section({
      windowSeconds: window(
        10,
        "Window of the new-document budget (`newDocuments`); it is also the longest burst one address can make of its allowance, so short windows keep other clients' latency steady.",
      ),
      limit: Type.Integer({
        minimum: 0,
        default: 100,
        description:
          "Operation documents the gateway has not accepted before that one client address may send per window (each one of a batch counts), counted before the document is tokenized, parsed, validated and planned; over it: 429 `RATE_LIMITED`, held like the address's other 429s. A repeated document, or one sent by a registered APQ hash or trusted-document id, never counts, so a fleet of browsers behind one office address running an app with 50 operations costs 50 once per gateway process; 100 every 10 s (600 a minute) leaves room for developers trying queries in the sandbox and for server-side clients that inline values (better: variables or persisted documents), while a burst of new documents costs at most about a tenth of a second of a core. `0`: no budget. See [Security model](#security-model).",
      }),
    }),
    bodyBytes: section({
      windowSeconds: window(10, 'Window of the body-bytes budget (`bodyBytes`); as for `newDocuments`, also the longest burst.'),
      limit: Type.Integer({
        minimum: 0,
        default: 33_554_432,
        defaultNote: '32 MiB',
        description:
          "Bytes of request bodies one client address may send per window, charged from `content-length` before the body is read (a chunked body as it arrives, cut off once over); over it: 429 `RATE_LIMITED`, held like the address's other 429s, the body unread. An address sending at the whole `perAddress.limit` (3000 a minute, 500 every 10 s) may average 65 KiB a request, where a GraphQL request is usually a few KiB; a burst of megabyte bodies costs at most about a quarter of a second of a core. Keep it at least `server.bodyLimitBytes`. `0`: no budget. See [Security model](#security-model).",
      }),
    }),
    authFailures: section({
      windowSeconds: window(10, 'Window of the authentication-failure budget (`authFailures`).'),
      limit: Type.Integer({
        minimum: 0,
        default: 50,
        description:
          "Requests authentication refuses with 401 (a token invalid, expired, tampered or malformed, or none where one is required) that one client address may make per window; past it, that address's further 401s are still answered with the same 401, but held like its 429s and then closing the connection, so a client that keeps sending bad tokens gets about one answer per connection per hold instead of hundreds a second. Only failures count and only failures wait: requests with a valid token, and anonymous ones where a token is optional, from the same address (an office or carrier NAT) are never held. A legitimate client fails a few times when its token expires, then refreshes it; 50 in 10 s from one address is a broken or hostile client. `0`: no budget. See [Security model](#security-model).",
      }),
    }),
  }),
  default: section({
    windowSeconds: window(60, 'Window of the rule every operation counts against (`default`).'),
    limit: positive(600, { description: 'Operations per window and client under `default`.' }),
  }),
  rules: Type.Array(rateLimitRuleSchema, {
    accepts: 'a list of { name, operationName or rootField, windowSeconds, limit }',
    default: [],
    description:
      'More rules: `{ name, operationName \\| rootField ("Query.users"), windowSeconds, limit }`; each matching rule counts too: a `rootField` rule once per use of the field in the operation (each alias), an `operationName` rule once per operation.',
  }),
  cost: section({
    windowSeconds: window(60, 'Window of the cost budget (`cost`).'),
    budget: positive(50_000, { description: 'Estimated cost units a client may spend per window.' }),
  }),
  pace: section({
    maxDelayMs: Type.Integer({
      minimum: 0,
      default: 0,
      description:
        "Pace each client's operations under the per-client rules (`default`, `cost`, `rules`): past its burst (`pace.burstPercent` of a rule's limit at once), a client's operations take turns at the rule's rate (a window's limit spread evenly over the window), and one that comes before its turn waits for it, at most this long (below `server.requestTimeoutMs`, which the wait counts against), with its admission slot given back meanwhile (its address's place kept: `perAddress.maxInFlight`); one whose turn is further off is refused with 429 `RATE_LIMITED`, as over the limit. A client flooding at its limit then runs one operation at a time at its rate instead of its whole window's allowance at the window's start, in front of everyone else's requests. In a batch, an operation before its turn is refused rather than waiting. `0`: no pacing, a window's limit may be spent at once. See [Security model](#security-model).",
    }),
    burstPercent: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 10,
      description:
        "With `pace.maxDelayMs`: the share of each per-client rule's limit (operations, or cost units under `cost`; at least 1) a client may spend at once, from its window's start, before its operations take turns. Size it above the bursts your clients make: a page that sends 20 operations at once under `default` 600 a minute needs at least 4.",
    }),
  }),
});

export const persistedQueriesConfigSchema = section({
  enabled: Type.Boolean({ default: true, description: "Automatic persisted queries (Apollo's APQ protocol)." }),
  store: store("`memory` (Apollo Server's bounded cache) or `redis` (shared by every replica)."),
  ttlSeconds: positive(86_400, { description: 'How long a registered document is kept.' }),
});

export const trustedDocumentsConfigSchema = section({
  mode: Type.Enum(['off', 'log-unknown', 'require'], {
    default: 'off',
    description:
      '`off`, `log-unknown` (run anything, log what the manifest lacks) or `require` (run only manifest documents; others get 400 `PERSISTED_QUERY_NOT_ALLOWED`).',
  }),
  manifest: nullable(
    Type.String({
      minLength: 1,
      filePath: true,
      description:
        'An Apollo persisted query manifest, or a graphql-codegen client preset `persisted-documents.json` (sha256 ids), relative to the working directory. Required unless `mode` is `off`.',
    }),
  ),
});

/** The traffic sections, spread into the top level of the gateway config. */
export const trafficConfigProperties = {
  redis: redisConfigSchema,
  limits: limitsConfigSchema,
  demandControl: demandControlConfigSchema,
  rateLimit: rateLimitConfigSchema,
  persistedQueries: persistedQueriesConfigSchema,
  trustedDocuments: trustedDocumentsConfigSchema,
};

export type RedisConfig = StaticDecode<typeof redisConfigSchema>;
export type LimitsConfig = StaticDecode<typeof limitsConfigSchema>;
export type DemandControlConfig = StaticDecode<typeof demandControlConfigSchema>;
export type RateLimitRule = StaticDecode<typeof rateLimitRuleSchema>;
export type RateLimitConfig = StaticDecode<typeof rateLimitConfigSchema>;
export type StoreKind = RateLimitConfig['store'];
export type PersistedQueriesConfig = StaticDecode<typeof persistedQueriesConfigSchema>;
export type TrustedDocumentsConfig = StaticDecode<typeof trustedDocumentsConfigSchema>;
/** The traffic-protection part of `GatewayConfig`. */
export type TrafficConfig = { [Key in keyof typeof trafficConfigProperties]: StaticDecode<(typeof trafficConfigProperties)[Key]> };
