import path from 'node:path';
import { childSchemaOf } from './childSchemaOf.js';
import type { ConfigSchemaNode, DefaultContext } from './configOptions.js';
import type { Environment } from './expandEnv.js';

/**
 * Fills in every default of a config that its schema has accepted, in the schema's order (so a
 * derived default reads the options before it with their final values), makes `filePath`
 * options absolute and turns each file value into its loaded form (TypeBox codecs, as
 * `workers: auto`). The one place defaults are applied: no consumer applies its own. Completes
 * `input` in place and returns it.
 */
export function completeConfig(schema: ConfigSchemaNode, input: unknown, { env, cwd }: { env: Environment; cwd: string }): unknown {
  const holder: Record<string, unknown> = { config: input };
  const context: DefaultContext = {
    env,
    get: (option) => option.split('.').reduce<unknown>((value, key) => (isObject(value) ? ownValue(value, key) : undefined), holder.config),
  };
  completeAt(holder, 'config', schema, context, cwd);
  return holder.config;
}

/** Completes `holder[key]` in place: its default first, then what is inside it. */
function completeAt(holder: Record<string, unknown>, key: string, schema: ConfigSchemaNode, context: DefaultContext, cwd: string): void {
  let value = ownValue(holder, key);
  if (value === undefined) {
    value = schema.derived ? schema.derived.value(context) : structuredClone(schema.default);
    if (value === undefined) return;
    // Put in place before its own keys are completed, so that they can read one another.
    setOwn(holder, key, value);
  }
  if (isObject(value)) {
    for (const child of new Set([...Object.keys(schema.properties ?? {}), ...Object.keys(value)])) {
      const childSchema = childSchemaOf(schema, child);
      if (childSchema) completeAt(value, child, childSchema, context, cwd);
    }
  } else if (Array.isArray(value) && schema.items) {
    for (let index = 0; index < value.length; index += 1) completeAt(value as unknown as Record<string, unknown>, String(index), schema.items, context, cwd);
  }
  if (schema.filePath && typeof value === 'string') value = path.resolve(cwd, value);
  const codec = schema['~codec'];
  if (codec) value = codec.decode(value);
  setOwn(holder, key, value);
}

// Map keys come from the file (subgraph names): `__proto__` must stay a plain key.
function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
