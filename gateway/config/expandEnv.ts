import { childSchemaOf } from './childSchemaOf.js';
import type { ConfigSchemaNode } from './configOptions.js';
import { formatConfigPath } from './formatConfigPath.js';

export type Environment = Record<string, string | undefined>;

// `$${` is a literal `${`; `${env.NAME}` and `${env.NAME:-default}` are placeholders; any other
// `${…}` is a mistake worth reporting rather than passing through.
const PLACEHOLDER = /\$\$\{|\$\{env\.([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g;

/**
 * Replaces `${env.NAME}` / `${env.NAME:-default}` in every string value (not in keys). A value
 * that had a placeholder is converted to the type the schema expects there, strictly ("8080" →
 * 8080, "true" → true, "a, b" → ["a", "b"]); anything else is left as is for the schema to
 * report. Problems (an unset variable without a default, a malformed placeholder) are pushed to
 * `problems`. Returns a new value; the input is not changed.
 */
export function expandEnv(value: unknown, schema: ConfigSchemaNode | undefined, env: Environment, problems: string[], path: (string | number)[] = []): unknown {
  if (typeof value === 'string') {
    const expanded = expandString(value, env, problems, path);
    return expanded === value ? value : coerce(expanded, schema);
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => expandEnv(item, schema?.items, env, problems, [...path, index]));
  }
  if (isPlainObject(value)) {
    // Built from entries so that a map key of the file (a subgraph's name) such as `__proto__`
    // stays a key, never the object's prototype.
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, expandEnv(child, childSchemaOf(schema, key), env, problems, [...path, key])]));
  }
  return value;
}

/** Substitutes the placeholders of one string. */
function expandString(value: string, env: Environment, problems: string[], path: (string | number)[]): string {
  return value.replace(PLACEHOLDER, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      problems.push(
        `${formatConfigPath(path)}: unsupported placeholder ${JSON.stringify(match)}; ` +
          'use ${env.NAME} or ${env.NAME:-default} (write $${ for a literal ${)',
      );
      return match;
    }
    const set = env[name];
    // Like the shell's `:-`: the default also applies when the variable is set but empty.
    if (fallback !== undefined) return set === undefined || set === '' ? fallback : set;
    if (set === undefined) {
      problems.push(`${formatConfigPath(path)}: environment variable ${name} is not set ` + `(set it, or give a default with \${env.${name}:-default})`);
      return match;
    }
    return set;
  });
}

/** Converts an expanded string to the schema's type when it unambiguously is one. */
function coerce(value: string, schema: ConfigSchemaNode | undefined): unknown {
  // The first alternative that converts the string, as `"4"` for `server.workers`.
  for (const alternative of schema?.anyOf ?? []) {
    const converted = coerce(value, alternative);
    if (converted !== value) return converted;
  }
  switch (schema?.type) {
    case 'integer':
      return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'array':
      return value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    default:
      return value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
