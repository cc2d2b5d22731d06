import type { SecurityConfig } from './SecurityConfig.js';

/**
 * The gateway's configuration after `loadGatewayConfig` has validated it and filled in every
 * default. The file on disk has the same shape with every key optional; the README's "Gateway
 * configuration" table lists every option with its default (a test keeps the two in step).
 */
export interface GatewayConfig extends SecurityConfig {
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
  /**
   * Per-subgraph settings, keyed by the subgraph's name in the supergraph. A name the supergraph
   * does not know is refused at start.
   * @default {}
   */
  subgraphs: Record<string, SubgraphConfig>;
}

export type GatewayMode = 'development' | 'production';

export interface SupergraphConfig {
  /**
   * The composed supergraph SDL file (`portico compose` writes it). Relative paths are resolved
   * against the working directory; the value here is always absolute.
   * @default 'schema/supergraph.graphql'
   */
  path: string;
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
   * How long a stopping gateway waits for in-flight requests before closing their connections.
   * @default 10000
   */
  shutdownGracePeriodMs: number;
  /**
   * Serve HTTPS with this certificate and key (PEM files). Both or neither.
   * @default null (plain HTTP)
   */
  tls: TlsConfig | null;
  cors: CorsConfig;
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
   * @default ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'apollographql-client-name', 'apollographql-client-version', 'x-request-id']
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
}
