import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asConfigSchemaNode } from '../../gateway/config/configOptions.js';
import { gatewayConfigSchema } from '../../gateway/config/GatewayConfig.js';
import { renderConfigTable, withConfigTable } from '../../gateway/config/renderConfigTable.js';

const readmeFile = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The README with the "Gateway configuration" option table generated from the config schema. */
export function generateConfigTable(): [string, string][] {
  return [[readmeFile, withConfigTable(readFileSync(readmeFile, 'utf8'), renderConfigTable(asConfigSchemaNode(gatewayConfigSchema)))]];
}
