/**
 * The traffic-protection part of `GatewayConfig`: document limits, demand control, rate limits,
 * persisted documents and the Redis they can share. Every limit is on by default.
 */
export interface TrafficConfig {
  redis: RedisConfig;
  limits: LimitsConfig;
  demandControl: DemandControlConfig;
  rateLimit: RateLimitConfig;
  persistedQueries: PersistedQueriesConfig;
  trustedDocuments: TrustedDocumentsConfig;
}

/** Where `store: redis` keeps rate-limit counters and APQ documents. */
export interface RedisConfig {
  /**
   * `redis://[user:password@]host:port[/db]`, or through Redis Sentinel
   * `redis+sentinel://[user:password@]host:port[,host:port…]/<primary name>[/db]`
   * or a Redis Cluster `redis+cluster://[user:password@]host:port[,host:port…]` (`rediss://`,
   * `rediss+sentinel://`, `rediss+cluster://` for TLS); required when any store is `redis`.
   * @default null (no Redis)
   */
  url: string | null;
  /**
   * Prefix of every key the gateway writes, so that several deployments can share one Redis.
   * @default 'portico:'
   */
  keyPrefix: string;
}

/** Limits on the shape of each operation, checked before it is validated or planned. */
export interface LimitsConfig {
  /** Largest operation text in bytes (UTF-8). @default 32768 */
  maxDocumentBytes: number;
  /** Most lexical tokens in one document; parsing stops past it. @default 5000 */
  maxTokens: number;
  /** Deepest field nesting, fragments expanded. @default 15 */
  maxDepth: number;
  /** Most aliased fields in one operation, fragments expanded. @default 30 */
  maxAliases: number;
  /** Most fields selected at the root of one operation. @default 20 */
  maxRootFields: number;
  /** Most directives used in one document. @default 50 */
  maxDirectives: number;
  /** Most operations in one batched (JSON array) request. @default 10 */
  maxBatchSize: number;
  /**
   * Most fields one operation selects once every fragment spread is written out (a fragment spread
   * twice counts twice), so that fragments spreading fragments cannot make validation, planning
   * and authorization walk millions of fields. The benchmark query (bench/benchQuery.ts) has 55.
   * @default 2000
   */
  maxExpandedFields: number;
  /**
   * Deepest nesting of arrays and objects in a request's JSON (a POST body, or GET's `variables`
   * and `extensions`), measured on the raw text before it is parsed.
   * @default 32
   */
  maxJsonDepth: number;
  /**
   * Largest `variables` of one operation, in bytes as sent, measured before the body is parsed.
   * @default 65536 (64 KiB)
   */
  maxVariablesBytes: number;
}

export interface DemandControlConfig {
  /**
   * Largest estimated cost (see the README's "Demand control") of one operation.
   * @default 5000
   */
  maxCost: number;
  /**
   * The size assumed for a list field with no `@listSize` and no slicing argument.
   * @default 10
   */
  defaultListSize: number;
  /**
   * Let clients ask for `extensions.cost` (`{ estimated, max }`) with the request header
   * `x-portico-cost: true`.
   * @default true
   */
  exposeCost: boolean;
}

export type StoreKind = 'memory' | 'redis';

export interface RateLimitRule {
  /** Named in `RATE_LIMITED` errors and logs. */
  name: string;
  /** Counts the operations with this name. */
  operationName?: string;
  /** Counts the operations that select this root field, as `Query.users` or `Mutation.createReview`. */
  rootField?: string;
  /** Length of the fixed window. */
  windowSeconds: number;
  /** Operations a client may send per window. */
  limit: number;
}

export interface RateLimitConfig {
  /** @default true */
  enabled: boolean;
  /** Where counters live: `redis` shares them between replicas. @default 'memory' */
  store: StoreKind;
  /**
   * What to do when the store fails (Redis unreachable): `open` lets requests through and logs a
   * warning, `closed` answers 503 `SERVICE_NOT_READY`.
   * @default 'open'
   */
  onStoreError: 'open' | 'closed';
  /**
   * A client without a token is known by this request header, when its value is a known key (one
   * of `apiKeys`, or with `store: redis` one whose SHA-256 is in the Redis set `<redis.keyPrefix>apikeys`).
   * An unknown key counts as no key: the client is its address.
   * @default 'x-api-key'
   */
  apiKeyHeader: string;
  /**
   * The API keys the gateway knows, typically `\${env.PORTICO_API_KEYS}` (comma-separated); kept
   * in memory as SHA-256 hashes only.
   * @default []
   */
  apiKeys: string[];
  /**
   * Proxy addresses or CIDR ranges whose `X-Forwarded-For` is believed.
   * @default [] (the TCP peer is the client)
   */
  trustedProxies: string[];
  /**
   * HTTP requests per client address (IPv6 by /64), whatever the token or API key, checked before
   * authentication and before the body is read: refused requests count too. Higher than `default`,
   * since many users can share an address (NAT).
   * @default { windowSeconds: 60, limit: 3000 }
   */
  perAddress: { windowSeconds: number; limit: number };
  /** Every operation counts here. @default { windowSeconds: 60, limit: 600 } */
  default: { windowSeconds: number; limit: number };
  /** Further limits for some operations; each one that matches counts too. @default [] */
  rules: RateLimitRule[];
  /** Cost units a client may spend per window (estimated costs). @default { windowSeconds: 60, budget: 50000 } */
  cost: { windowSeconds: number; budget: number };
}

export interface PersistedQueriesConfig {
  /** Automatic persisted queries (Apollo's APQ protocol). @default true */
  enabled: boolean;
  /** @default 'memory' */
  store: StoreKind;
  /** How long a registered document is kept. @default 86400 */
  ttlSeconds: number;
}

export interface TrustedDocumentsConfig {
  /**
   * `off`; `log-unknown` runs any operation and logs those missing from the manifest; `require`
   * runs only the manifest's operations (others get `PERSISTED_QUERY_NOT_ALLOWED`).
   * @default 'off'
   */
  mode: 'off' | 'log-unknown' | 'require';
  /**
   * An Apollo persisted query manifest (`{ format: "apollo-persisted-query-manifest", version: 1,
   * operations: [{ id, name, type, body }] }`); required unless `mode` is `off`.
   * @default null
   */
  manifest: string | null;
}
