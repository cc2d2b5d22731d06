import { securityConfigProperties } from './securityConfigSchema.js';
import { telemetryConfigSchema } from './telemetryConfigSchema.js';
import { trafficConfigSchema } from './trafficConfigSchema.js';

/**
 * The JSON schema of the gateway config file. Ajv fills in the defaults written here; defaults
 * that depend on other values (mode, per-subgraph timeouts) are filled in by
 * `loadGatewayConfig`. `accepts` is our own annotation: how an error message describes the
 * values a key takes, where the type alone would not say it.
 */
// A type alias rather than an interface so that Ajv accepts it as a schema object.
export type ConfigSchemaNode = {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, ConfigSchemaNode>;
  additionalProperties?: ConfigSchemaNode | false;
  required?: string[];
  items?: ConfigSchemaNode;
  /** Values that match any one of these; give each the same `accepts`, which messages use. */
  anyOf?: ConfigSchemaNode[];
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  default?: unknown;
  accepts?: string;
};

const MAX_PORT = 65_535;
const WORKERS_ACCEPTS = 'a whole number of at least 1, or "auto" (one per available CPU)';
const READY_CHECKS_SUBGRAPHS_ACCEPTS = 'true (every subgraph must answer), "any" (one must) or false';
const MAX_CONCURRENT_ACCEPTS = 'a whole number of at least 1, or "auto" (follows the event loop)';

// Origins as browsers send them: no path, no trailing slash.
const ORIGIN_PATTERN = '^(\\*|https?://[^/\\s]+)$';
const HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

export const defaultAllowHeaders = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-request-id',
  // Asks for the estimated cost in extensions.cost (demandControl.exposeCost).
  'x-portico-cost',
];

const positiveInteger = (max?: number): ConfigSchemaNode => ({
  type: 'integer',
  minimum: 1,
  ...(max === undefined ? {} : { maximum: max }),
});

/** Retry settings; `withDefaults` for `upstream.retry`, without for a subgraph's overrides. */
const retrySchema = (withDefaults: boolean): ConfigSchemaNode => ({
  type: 'object',
  additionalProperties: false,
  ...(withDefaults ? { default: {} } : {}),
  properties: {
    maxRetries: { type: 'integer', minimum: 0, maximum: 10, ...(withDefaults ? { default: 2 } : {}) },
    initialDelayMs: { type: 'integer', minimum: 0, ...(withDefaults ? { default: 50 } : {}) },
    maxDelayMs: { type: 'integer', minimum: 0, ...(withDefaults ? { default: 1000 } : {}) },
    budgetPercent: { type: 'integer', minimum: 0, maximum: 100, ...(withDefaults ? { default: 20 } : {}) },
    budgetMinPerSecond: { type: 'integer', minimum: 0, ...(withDefaults ? { default: 5 } : {}) },
  },
});

/** Circuit-breaker settings, as `retrySchema`. */
const breakerSchema = (withDefaults: boolean): ConfigSchemaNode => ({
  type: 'object',
  additionalProperties: false,
  ...(withDefaults ? { default: {} } : {}),
  properties: {
    enabled: { type: 'boolean', ...(withDefaults ? { default: true } : {}) },
    failureThreshold: { ...positiveInteger(), ...(withDefaults ? { default: 5 } : {}) },
    resetTimeoutMs: { ...positiveInteger(), ...(withDefaults ? { default: 10_000 } : {}) },
  },
});

export const gatewayConfigSchema: ConfigSchemaNode = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { type: 'string', enum: ['development', 'production'] },
    introspection: { type: 'boolean' },
    landingPage: { type: 'boolean' },
    explorer: { type: 'boolean' },
    includeStacktraceInErrors: { type: 'boolean' },
    supergraph: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        path: { type: 'string', minLength: 1, default: 'schema/supergraph.graphql' },
        url: { type: 'string', pattern: '^https?://[^\\s]+$', accepts: 'an http:// or https:// URL' },
        watch: { type: 'boolean', default: true },
        pollIntervalMs: { ...positiveInteger(), default: 1000 },
      },
    },
    server: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', minLength: 1, default: '0.0.0.0' },
        port: { type: 'integer', minimum: 0, maximum: MAX_PORT, default: 4000 },
        graphqlPath: {
          type: 'string',
          pattern: '^/[A-Za-z0-9/_.~-]*$',
          accepts: 'a URL path starting with "/", such as "/graphql"',
          default: '/graphql',
        },
        bodyLimitBytes: { ...positiveInteger(), default: 1_048_576 },
        bodyTimeoutMs: { ...positiveInteger(), default: 10_000 },
        maxBodyBytesInFlight: { ...positiveInteger(), default: 67_108_864 },
        headersTimeoutMs: { ...positiveInteger(), default: 10_000 },
        keepAliveTimeoutMs: { ...positiveInteger(), default: 5_000 },
        shutdownGracePeriodMs: { type: 'integer', minimum: 0, default: 10_000 },
        drainDelayMs: { type: 'integer', minimum: 0, default: 0 },
        requestTimeoutMs: { ...positiveInteger(), default: 60_000 },
        readyChecksSubgraphs: {
          anyOf: [
            { type: 'boolean', accepts: READY_CHECKS_SUBGRAPHS_ACCEPTS },
            { type: 'string', enum: ['any'], accepts: READY_CHECKS_SUBGRAPHS_ACCEPTS },
          ],
          default: false,
        },
        readyChecksRedis: { type: 'boolean', default: false },
        workers: {
          anyOf: [
            { type: 'integer', minimum: 1, accepts: WORKERS_ACCEPTS },
            { type: 'string', enum: ['auto'], accepts: WORKERS_ACCEPTS },
          ],
          default: 1,
        },
        admission: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            maxConcurrent: {
              anyOf: [
                { type: 'integer', minimum: 1, accepts: MAX_CONCURRENT_ACCEPTS },
                { type: 'string', enum: ['auto'], accepts: MAX_CONCURRENT_ACCEPTS },
              ],
              default: 'auto',
            },
            maxQueue: { type: 'integer', minimum: 0, default: 1000 },
            queueTimeoutMs: { ...positiveInteger(), default: 10_000 },
          },
        },
        heapGrowthPercent: { type: 'integer', minimum: 0, maximum: 1000, default: 50 },
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['certFile', 'keyFile'],
          properties: {
            certFile: { type: 'string', minLength: 1 },
            keyFile: { type: 'string', minLength: 1 },
          },
        },
        cors: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            origins: {
              type: 'array',
              items: {
                type: 'string',
                pattern: ORIGIN_PATTERN,
                accepts: 'an origin such as "https://app.example.com" (scheme://host[:port], no path) or "*"',
              },
              accepts: 'a list of origins such as ["https://app.example.com"], or ["*"]',
              default: ['https://studio.apollographql.com', 'https://sandbox.embed.apollographql.com'],
            },
            credentials: { type: 'boolean', default: false },
            maxAgeSeconds: { type: 'integer', minimum: 0, default: 600 },
            allowHeaders: {
              type: 'array',
              items: { type: 'string', pattern: HEADER_NAME_PATTERN, accepts: 'an HTTP header name' },
              accepts: 'a list of HTTP header names',
              default: defaultAllowHeaders,
            },
          },
        },
      },
    },
    upstream: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        timeoutMs: { ...positiveInteger(), default: 30_000 },
        maxConnectionsPerSubgraph: { ...positiveInteger(), default: 128 },
        dedupQueries: { type: 'boolean', default: true },
        retry: retrySchema(true),
        breaker: breakerSchema(true),
      },
    },
    metrics: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        clientNameHeader: { type: 'string', pattern: HEADER_NAME_PATTERN, accepts: 'an HTTP header name', default: 'apollographql-client-name' },
        clientVersionHeader: { type: 'string', pattern: HEADER_NAME_PATTERN, accepts: 'an HTTP header name', default: 'apollographql-client-version' },
        listener: { type: 'string', enum: ['internal', 'public'] },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        host: { type: 'string', minLength: 1 },
        maxLabelValues: { type: 'integer', minimum: 1, default: 100 },
      },
    },
    subgraphs: {
      type: 'object',
      default: {},
      accepts: 'a mapping from subgraph name to { url, timeoutMs, dedupQueries, retry, breaker }',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          url: {
            type: 'string',
            pattern: '^https?://[^\\s]+$',
            accepts: 'an http:// or https:// URL',
          },
          timeoutMs: positiveInteger(),
          dedupQueries: { type: 'boolean' },
          retry: retrySchema(false),
          breaker: breakerSchema(false),
        },
      },
    },
    ...securityConfigProperties,
    ...trafficConfigSchema,
    ...telemetryConfigSchema,
  },
};
