import { mapValueSchemaOf } from './childSchemaOf.js';
import type { ConfigSchemaNode } from './configOptions.js';

/** The README lines the generated table sits between (`npm run codegen` rewrites what is inside). */
export const configTableMarkers = {
  start: '<!-- Generated from the config schema (gateway/config/*Config.ts) by `npm run codegen`: edit the schema, not this table. -->',
  end: '<!-- End of the generated config table. -->',
} as const;

/**
 * The README's "Gateway configuration" option table, one row per option a file can set, in the
 * schema's order: its name (`subgraphs.<name>.url` for a map), its default and its description,
 * all from the schema. An option without a description is an error: every option is documented.
 */
export function renderConfigTable(schema: ConfigSchemaNode): string {
  const rows = optionsOf(schema, '').map(([option, node]) => {
    if (!node.description) throw new Error(`config option ${option} has no description in the schema`);
    return `| \`${option}\` | ${defaultCell(node)} | ${node.description} |`;
  });
  return ['| Option | Default | Description |', '|---|---|---|', ...rows].join('\n');
}

/** `readme` with the table between the markers replaced by `table`. */
export function withConfigTable(readme: string, table: string): string {
  const start = readme.indexOf(configTableMarkers.start);
  const end = readme.indexOf(configTableMarkers.end);
  if (start === -1 || end < start) throw new Error('README.md: the config table markers are missing (see gateway/config/renderConfigTable.ts)');
  return `${readme.slice(0, start + configTableMarkers.start.length)}\n${table}\n${readme.slice(end)}`;
}

// The options under a node: a section's keys, a map's `<name>`, or the node itself.
function optionsOf(node: ConfigSchemaNode, prefix: string): [string, ConfigSchemaNode][] {
  const join = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (node.properties) return Object.entries(node.properties).flatMap(([key, child]) => optionsOf(child, join(key)));
  const values = mapValueSchemaOf(node);
  if (values) return optionsOf(values, join('<name>'));
  return [[prefix, node]];
}

function defaultCell(node: ConfigSchemaNode): string {
  if (node.derived) return node.derived.text;
  const value = node.default === undefined || node.default === null ? 'none' : `\`${show(node.default)}\``;
  return node.defaultNote ? `${value} (${node.defaultNote})` : value;
}

function show(value: unknown): string {
  return Array.isArray(value) ? `[${value.map((item) => JSON.stringify(item)).join(', ')}]` : String(value);
}
