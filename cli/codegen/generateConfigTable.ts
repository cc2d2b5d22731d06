import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../common/projectRoot.js';
import { asConfigSchemaNode } from '../../gateway/config/configOptions.js';
import { gatewayConfigSchema } from '../../gateway/config/GatewayConfig.js';
import { renderConfigTable, withConfigTable } from '../../gateway/config/renderConfigTable.js';

const readmeFile = join(projectRoot, 'README.md');

/** The README with the "Gateway configuration" option table generated from the config schema. */
export function generateConfigTable(): [string, string][] {
  return [[readmeFile, withConfigTable(readFileSync(readmeFile, 'utf8'), renderConfigTable(asConfigSchemaNode(gatewayConfigSchema)))]];
}
