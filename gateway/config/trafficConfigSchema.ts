import type { ConfigSchemaNode } from './gatewayConfigSchema.js';

// Kept apart from gatewayConfigSchema.ts so that each file stays one screenful; the gateway
// schema spreads these sections into its top level.

const limit = (defaultValue: number): ConfigSchemaNode => ({ type: 'integer', minimum: 1, default: defaultValue });
const section = (properties: Record<string, ConfigSchemaNode>): ConfigSchemaNode => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties,
});
const store: ConfigSchemaNode = { type: 'string', enum: ['memory', 'redis'], default: 'memory' };
const HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

export const trafficConfigSchema: Record<string, ConfigSchemaNode> = {
  redis: section({
    url: {
      type: 'string',
      pattern: '^rediss?(\\+sentinel|\\+cluster)?://[^\\s]+$',
      accepts: 'a redis:// or rediss:// URL, redis+sentinel://host:port[,host:port…]/<primary name> or redis+cluster://host:port[,host:port…]',
    },
    keyPrefix: { type: 'string', default: 'portico:' },
  }),
  limits: section({
    maxDocumentBytes: limit(32_768),
    maxTokens: limit(5_000),
    maxDepth: limit(15),
    maxAliases: limit(30),
    maxRootFields: limit(20),
    maxDirectives: limit(50),
    maxBatchSize: limit(10),
    maxExpandedFields: limit(2_000),
    maxJsonDepth: limit(32),
    maxVariablesBytes: limit(65_536),
  }),
  demandControl: section({
    maxCost: limit(5_000),
    defaultListSize: { type: 'integer', minimum: 0, default: 10 },
    exposeCost: { type: 'boolean', default: true },
  }),
  rateLimit: section({
    enabled: { type: 'boolean', default: true },
    store,
    onStoreError: { type: 'string', enum: ['open', 'closed'], default: 'open' },
    apiKeyHeader: { type: 'string', pattern: HEADER_NAME_PATTERN, accepts: 'an HTTP header name', default: 'x-api-key' },
    trustedProxies: {
      type: 'array',
      items: { type: 'string', pattern: '^[0-9A-Fa-f:.]+(/\\d{1,3})?$', accepts: 'an IP address or CIDR range such as "10.0.0.0/8"' },
      default: [],
    },
    apiKeys: {
      type: 'array',
      items: { type: 'string', minLength: 1, accepts: 'a non-empty API key' },
      default: [],
    },
    perAddress: section({ windowSeconds: limit(60), limit: limit(3_000) }),
    default: section({ windowSeconds: limit(60), limit: limit(600) }),
    rules: {
      type: 'array',
      default: [],
      accepts: 'a list of { name, operationName or rootField, windowSeconds, limit }',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'windowSeconds', 'limit'],
        properties: {
          name: { type: 'string', minLength: 1 },
          operationName: { type: 'string', minLength: 1 },
          rootField: {
            type: 'string',
            pattern: '^(Query|Mutation|Subscription)\\.[_A-Za-z][_0-9A-Za-z]*$',
            accepts: 'a root field such as "Query.users" or "Mutation.createReview"',
          },
          windowSeconds: { type: 'integer', minimum: 1 },
          limit: { type: 'integer', minimum: 1 },
        },
      },
    },
    cost: section({ windowSeconds: limit(60), budget: limit(50_000) }),
  }),
  persistedQueries: section({
    enabled: { type: 'boolean', default: true },
    store,
    ttlSeconds: limit(86_400),
  }),
  trustedDocuments: section({
    mode: { type: 'string', enum: ['off', 'log-unknown', 'require'], default: 'off' },
    manifest: { type: 'string', minLength: 1 },
  }),
};
