import { jwtAlgorithms } from './SecurityConfig.js';
import type { ConfigSchemaNode } from './gatewayConfigSchema.js';

const HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";
const headerName: ConfigSchemaNode = { type: 'string', pattern: HEADER_NAME_PATTERN, accepts: 'an HTTP header name' };
const strings = (accepts: string): ConfigSchemaNode => ({ type: 'array', items: { type: 'string', minLength: 1 }, accepts, default: [] });

const headerRule: ConfigSchemaNode = {
  type: 'object',
  additionalProperties: false,
  accepts: 'one of { propagate: NAME [, rename: NAME] }, { matching: REGEX }, { set: NAME, value: TEXT }',
  properties: {
    propagate: headerName,
    rename: headerName,
    matching: { type: 'string', minLength: 1 },
    set: headerName,
    value: { type: 'string' },
  },
};
const headerRules: ConfigSchemaNode = { type: 'array', items: headerRule, accepts: 'a list of header rules', default: [] };

/** The schema of the security sections, merged into the gateway config schema. */
export const securityConfigProperties: Record<string, ConfigSchemaNode> = {
  authentication: {
    type: 'object',
    additionalProperties: false,
    default: {},
    properties: {
      mode: { type: 'string', enum: ['off', 'optional', 'required'] },
      algorithms: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', enum: jwtAlgorithms, accepts: `one of ${jwtAlgorithms.join(', ')}` },
        accepts: 'a list of JWT algorithms such as ["RS256"]',
      },
      secret: { type: 'string', minLength: 16, accepts: 'a secret of at least 16 characters' },
      publicKeyFile: { type: 'string', minLength: 1 },
      jwks: {
        type: 'object',
        additionalProperties: false,
        required: ['url'],
        properties: {
          url: { type: 'string', pattern: '^https?://[^\\s]+$', accepts: 'an http:// or https:// URL' },
          cacheMaxAgeMs: { type: 'integer', minimum: 0, default: 600_000 },
          refetchPerMinute: { type: 'integer', minimum: 1, default: 10 },
          timeoutMs: { type: 'integer', minimum: 1, default: 5000 },
        },
      },
      issuer: strings('a list of accepted issuers'),
      audience: strings('a list of accepted audiences'),
      clockToleranceSeconds: { type: 'integer', minimum: 0, default: 5 },
      requireExpiry: { type: 'boolean', default: true },
      maxTokenAgeSeconds: { type: 'integer', minimum: 1, accepts: 'a whole number of seconds, at least 1' },
      requiredClaims: strings('a list of claim names'),
      cookie: { type: 'string', minLength: 1 },
      forwardToken: { type: 'boolean', default: false },
      forwardClaims: strings('a list of claim names'),
    },
  },
  authorization: {
    type: 'object',
    additionalProperties: false,
    default: {},
    properties: {
      unauthorized: { type: 'string', enum: ['filter', 'reject'], default: 'filter' },
      policyModule: { type: 'string', minLength: 1 },
    },
  },
  subgraphSigning: {
    type: 'object',
    additionalProperties: false,
    default: {},
    properties: {
      secret: { type: 'string', minLength: 16, accepts: 'a secret of at least 16 characters' },
    },
  },
  headers: {
    type: 'object',
    additionalProperties: false,
    default: {},
    properties: {
      all: headerRules,
      subgraphs: { type: 'object', default: {}, additionalProperties: headerRules, accepts: 'a mapping from subgraph name to a list of header rules' },
    },
  },
};
