import type { ErrorObject } from 'ajv';
import type { ConfigSchemaNode } from './configOptions.js';
import { formatConfigPath } from './formatConfigPath.js';

/**
 * Turns Ajv's errors (compiled with `verbose: true`, `allErrors: true`) into one line per bad
 * key: `server.port: must be an integer from 0 to 65535 (got "abc")`.
 */
export function formatSchemaErrors(errors: readonly ErrorObject[]): string[] {
  const messages = new Map<string, string>();
  for (const error of errors) {
    const path = pathOf(error.instancePath);
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(error.params.additionalProperty);
        const known = Object.keys((error.parentSchema as ConfigSchemaNode).properties ?? {});
        const where = formatConfigPath([...path, key]);
        messages.set(where, `${where}: unknown key (accepted here: ${known.join(', ')})`);
        break;
      }
      case 'required': {
        const where = formatConfigPath([...path, String(error.params.missingProperty)]);
        const together = (error.parentSchema as ConfigSchemaNode).required ?? [];
        const hint = together.length > 1 ? ` (give ${together.join(' and ')} together, or neither)` : '';
        messages.set(where, `${where}: is required${hint}`);
        break;
      }
      default: {
        // One message per key: a value that fails several keywords is still one mistake.
        const where = formatConfigPath(path);
        if (!messages.has(where)) {
          const schema = error.parentSchema as ConfigSchemaNode;
          messages.set(where, `${where}: must be ${describe(schema)} (got ${show(error.data, path)})`);
        }
      }
    }
  }
  return [...messages.values()];
}

/** The values a schema node accepts, in words. */
export function describe(schema: ConfigSchemaNode): string {
  if (schema.accepts) return schema.accepts;
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (schema.type) {
    case 'integer':
      if (schema.minimum !== undefined && schema.maximum !== undefined) {
        return `an integer from ${schema.minimum} to ${schema.maximum}`;
      }
      if (schema.minimum !== undefined) return `an integer of at least ${schema.minimum}`;
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'string':
      return schema.minLength ? 'a non-empty string' : 'a string';
    case 'array':
      return 'a list';
    case 'object': {
      const keys = Object.keys(schema.properties ?? {});
      return keys.length > 0 ? `an object with keys ${keys.join(', ')}` : 'an object';
    }
    default:
      return 'a valid value';
  }
}

/** `/server/cors/origins/1` → `['server', 'cors', 'origins', 1]`. */
function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

// Keys whose values are secrets (`authentication.secret`, `subgraphSigning.secret`, each of
// `rateLimit.apiKeys`, a header rule's `value`, often a subgraph's credentials): an error says
// what is wrong with one, never what it is.
const secretKeys: ReadonlySet<string> = new Set(['secret', 'apiKeys', 'value']);

/**
 * A bad value as the message shows it, cut short when long; a secret's (by its key) only as its
 * length, and a URL's password masked: error messages go to container and CI logs.
 */
function show(value: unknown, path: readonly (string | number)[]): string {
  if (path.some((segment) => typeof segment === 'string' && secretKeys.has(segment)) && value !== undefined) {
    return typeof value === 'string' ? `${value.length} characters, not shown` : 'a value, not shown';
  }
  const text = value === undefined ? 'nothing' : JSON.stringify(value).replace(/:[^:@/\s"]+@/g, ':***@');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
