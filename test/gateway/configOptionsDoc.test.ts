import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema, type ConfigSchemaNode } from '../../gateway/config/gatewayConfigSchema.js';

/** Every option a config file can set, as the doc table names it (`subgraphs.<name>.url`). */
function optionsOf(schema: ConfigSchemaNode, prefix = ''): string[] {
  const children: [string, ConfigSchemaNode][] = Object.entries(schema.properties ?? {});
  if (typeof schema.additionalProperties === 'object') children.push(['<name>', schema.additionalProperties]);
  if (schema.type !== 'object' || children.length === 0) return [prefix];
  return children.flatMap(([key, child]) => optionsOf(child, prefix ? `${prefix}.${key}` : key));
}

describe('gateway/config/README-options.md', () => {
  const doc = readFileSync(new URL('../../gateway/config/README-options.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);

  it('has a row for every option of the schema, and no other', () => {
    expect(documented.sort()).toEqual(optionsOf(gatewayConfigSchema).sort());
  });

  it('shows the schema default of every option that has one', () => {
    const walk = (schema: ConfigSchemaNode, prefix: string): void => {
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        const option = prefix ? `${prefix}.${key}` : key;
        if (child.type === 'object') walk(child, option);
        else if (typeof child.default === 'string' || typeof child.default === 'number' || typeof child.default === 'boolean') {
          const row = doc.split('\n').find((line) => line.startsWith(`| \`${option}\` |`));
          expect(row, option).toContain(`\`${String(child.default)}\``);
        }
      }
    };
    walk(gatewayConfigSchema, '');
  });
});
