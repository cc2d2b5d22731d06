import type { ConfigSchemaNode } from './configOptions.js';

/** The schema of `key` inside an object or map schema, if the schema says. */
export function childSchemaOf(schema: ConfigSchemaNode | undefined, key: string): ConfigSchemaNode | undefined {
  if (schema?.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
  return mapValueSchemaOf(schema);
}

/** The schema of every value of a map (`Type.Record`), or undefined for anything else. */
export function mapValueSchemaOf(schema: ConfigSchemaNode | undefined): ConfigSchemaNode | undefined {
  if (typeof schema?.additionalProperties === 'object') return schema.additionalProperties;
  const patterns = Object.values(schema?.patternProperties ?? {});
  return patterns.length === 1 ? patterns[0] : undefined;
}
