import type { ValidateFunction } from 'ajv';
import { asConfigSchemaNode } from './configOptions.js';
import { configFileAjv, fileSchemaOf } from './createConfigValidator.js';
import { gatewayConfigSchema } from './GatewayConfig.js';

/**
 * The gateway config file's schema, compiled by Ajv. Run from the sources (tests), it is compiled
 * here, once per process. `npm run build` writes ajv's standalone code for the same schema in
 * this module's place in dist/ (`configValidatorSource`), so that a start does not spend a tenth
 * of its time compiling it (docs/performance.md, "Start-up time").
 */
export const validateConfigFile: ValidateFunction = configFileAjv().compile(fileSchemaOf(asConfigSchemaNode(gatewayConfigSchema)));
