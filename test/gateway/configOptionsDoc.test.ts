import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asConfigSchemaNode, type ConfigSchemaNode } from '../../gateway/config/configOptions.js';
import { gatewayConfigSchema } from '../../gateway/config/GatewayConfig.js';
import { configTableMarkers, renderConfigTable, withConfigTable } from '../../gateway/config/renderConfigTable.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const schema = asConfigSchemaNode(gatewayConfigSchema);

describe('the README option table', () => {
  it('is the one the schema generates (run `npm run codegen` after changing an option)', () => {
    expect(withConfigTable(readme, renderConfigTable(schema))).toBe(readme);
  });

  it('sits in the "Gateway configuration" section', () => {
    const section = readme.indexOf('## Gateway configuration');
    expect(section).toBeGreaterThan(-1);
    expect(readme.indexOf(configTableMarkers.start)).toBeGreaterThan(section);
    expect(readme.indexOf('\n## ', section + 3)).toBeGreaterThan(readme.indexOf(configTableMarkers.end));
  });

  it('has a row for every option, with its default, and fails for an option without a description', () => {
    const table = renderConfigTable(schema);
    expect(table).toContain('| `server.port` | `4000` | ');
    expect(table).toContain('| `server.bodyLimitBytes` | `1048576` (1 MiB) | ');
    expect(table).toContain('| `subgraphs.<name>.timeoutMs` | `upstream.timeoutMs` | ');
    expect(table).toContain('| `headers.subgraphs.<name>` | `[]` | ');
    expect(table).toContain('| `introspection` | `true` in development, `false` in production | ');
    expect(table).toContain('| `redis.url` | none | ');
    const undocumented: ConfigSchemaNode = { type: 'object', properties: { added: { type: 'integer', default: 1 } } };
    expect(() => renderConfigTable(undocumented)).toThrow('config option added has no description');
  });

  it('replaces only what is between its markers', () => {
    const text = `before\n${configTableMarkers.start}\nold\n${configTableMarkers.end}\nafter`;
    expect(withConfigTable(text, 'new')).toBe(`before\n${configTableMarkers.start}\nnew\n${configTableMarkers.end}\nafter`);
    expect(() => withConfigTable('no markers', 'new')).toThrow('markers are missing');
  });
});
