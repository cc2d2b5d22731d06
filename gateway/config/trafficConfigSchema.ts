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

export const trafficConfigSchema: Record<string, ConfigSchemaNode> = {
  limits: section({
    maxDocumentBytes: limit(32_768),
    maxTokens: limit(5_000),
    maxDepth: limit(15),
    maxAliases: limit(30),
    maxRootFields: limit(20),
    maxDirectives: limit(50),
    maxBatchSize: limit(10),
  }),
  demandControl: section({
    maxCost: limit(5_000),
    defaultListSize: { type: 'integer', minimum: 0, default: 10 },
    exposeCost: { type: 'boolean', default: true },
  }),
};
