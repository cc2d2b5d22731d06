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

// The option table in the README's "Gateway configuration" section.
function configSection(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Gateway configuration');
  expect(start, 'the README has a "Gateway configuration" section').toBeGreaterThan(-1);
  const end = readme.indexOf('\n#', start + 3);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('the README option table', () => {
  const doc = configSection();
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
