import { Ajv, type Options, type ValidateFunction } from 'ajv';
import type { ConfigSchemaNode } from './configOptions.js';
import { formatSchemaErrors } from './formatSchemaErrors.js';

/**
 * Checks a config file (after environment expansion and overrides) against the schema, before
 * any default is filled in: a key with a default or a derived default may be left out, the
 * others an object has are required. Returns one message per bad key, none when it is valid.
 */
export function createConfigValidator(schema: ConfigSchemaNode): (input: unknown) => string[] {
  return configMessagesFrom(configFileAjv().compile(fileSchemaOf(schema)));
}

/** The messages of a compiled file schema (`validateConfigFile`, or `createConfigValidator`'s own). */
export function configMessagesFrom(validate: ValidateFunction): (input: unknown) => string[] {
  return (input) => (validate(input) ? [] : formatSchemaErrors(validate.errors ?? []));
}

/**
 * The Ajv that checks config files: every error (one message per bad key), with the schema that
 * failed (the messages read its `accepts` and the keys it knows). `extra` adds options, such as
 * the build's `code: { source: true }` for standalone code: the same checks either way.
 */
export function configFileAjv(extra: Options = {}): Ajv {
  return new Ajv({ allErrors: true, verbose: true, strict: true, ...extra }).addKeyword('accepts');
}

/** The schema of the file: our annotations dropped, and only keys without a default required. */
export function fileSchemaOf(schema: ConfigSchemaNode): ConfigSchemaNode {
  const { derived: _derived, defaultNote: _note, filePath: _path, default: _default, ...node } = schema;
  const each = (nodes: Record<string, ConfigSchemaNode>) => Object.fromEntries(Object.entries(nodes).map(([key, child]) => [key, fileSchemaOf(child)]));
  if (node.properties) {
    const required = (node.required ?? []).filter((key) => {
      const child = node.properties?.[key];
      return child?.default === undefined && child?.derived === undefined;
    });
    node.properties = each(node.properties);
    if (required.length > 0) node.required = required;
    else delete node.required;
  }
  if (node.patternProperties) node.patternProperties = each(node.patternProperties);
  if (typeof node.additionalProperties === 'object') node.additionalProperties = fileSchemaOf(node.additionalProperties);
  if (node.items) node.items = fileSchemaOf(node.items);
  if (node.anyOf) node.anyOf = node.anyOf.map(fileSchemaOf);
  return node;
}
