import type { ConfigSchemaNode } from './gatewayConfigSchema.js';

// Kept apart from gatewayConfigSchema.ts like the traffic sections; spread into its top level.

export const telemetryConfigSchema: Record<string, ConfigSchemaNode> = {
  telemetry: {
    type: 'object',
    additionalProperties: false,
    default: {},
    properties: {
      tracing: {
        type: 'object',
        additionalProperties: false,
        default: {},
        properties: {
          enabled: { type: 'boolean', default: false },
          otlpEndpoint: {
            type: 'string',
            pattern: '^https?://[^\\s]+$',
            accepts: 'an http:// or https:// URL of an OTLP/HTTP traces endpoint, such as http://collector:4318/v1/traces',
          },
          serviceName: { type: 'string', minLength: 1, default: 'portico-gateway' },
          sampleRatio: { type: 'number', minimum: 0, maximum: 1, accepts: 'a number from 0 to 1', default: 1 },
        },
      },
    },
  },
};
