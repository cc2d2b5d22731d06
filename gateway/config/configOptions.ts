import { Type, type StaticDecode, type TObject, type TProperties, type TSchema, type TSchemaOptions, type TUnsafe } from 'typebox';
import type { Environment } from './expandEnv.js';

/**
 * The building blocks of the config schema (`GatewayConfig.ts` and the section files it
 * composes). A schema node is plain JSON Schema (TypeBox builds it, Ajv checks the file against
 * it) plus the annotations below, which the loader, the error messages and the README table
 * read. Adding an option is one line in its section: its type, constraints, `default` (or
 * `derived`) and `description`; the type, the defaults, the validation and the README row all
 * follow from it.
 */
export interface ConfigAnnotations {
  /** The README's description of the option (Markdown). */
  description?: string;
  /** How a message describes the accepted values, where the type alone would not say it. */
  accepts?: string;
  /** Said in parentheses after the default in the README, as "1 MiB". */
  defaultNote?: string;
  /** A default computed at load from other options or the environment, instead of `default`. */
  derived?: DerivedDefault;
  /** A file path: resolved against the working directory at load; the loaded value is absolute. */
  filePath?: boolean;
}

export interface DerivedDefault {
  /** The README's default cell (Markdown). */
  text: string;
  value: (context: DefaultContext) => unknown;
}

/**
 * What a derived default may read. Defaults are applied in the schema's order, so `get` sees
 * every option declared before the one being completed with its final value (`mode` comes first).
 */
export interface DefaultContext {
  /** An option's value by its dotted name, as `"server.host"`. */
  get(option: string): unknown;
  env: Environment;
}

/** A schema node as the walkers (messages, environment expansion, defaults, README) read it. */
export type ConfigSchemaNode = ConfigAnnotations & {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, ConfigSchemaNode>;
  /** A map (`Type.Record`): TypeBox writes its values' schema under the one pattern `^.*$`. */
  patternProperties?: Record<string, ConfigSchemaNode>;
  additionalProperties?: ConfigSchemaNode | boolean;
  required?: string[];
  items?: ConfigSchemaNode;
  /** Values that match any one of these; give each the same `accepts`, which messages use. */
  anyOf?: ConfigSchemaNode[];
  enum?: readonly unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  default?: unknown;
  nullable?: boolean;
  /** TypeBox's codec (`Type.Decode`): how the loaded value is made from the file's. */
  '~codec'?: { decode: (value: unknown) => unknown };
};

/** A TypeBox schema as the walkers read it: TypeBox's own types are more precise than they need. */
export function asConfigSchemaNode(schema: TSchema): ConfigSchemaNode {
  return schema as unknown as ConfigSchemaNode;
}

/** Options of a schema node, with our annotations. */
export type OptionSettings = TSchemaOptions & ConfigAnnotations;

/** An object of options: unknown keys are refused; missing, it is `{}` with its defaults filled. */
export function section<Properties extends TProperties>(properties: Properties, settings: OptionSettings = {}): TObject<Properties> {
  return Type.Object(properties, { additionalProperties: false, default: {}, ...settings });
}

/** An option that may be unset: `null` when the file leaves it out (or says `null`). */
export function nullable<Schema extends TSchema>(schema: Schema): TUnsafe<StaticDecode<Schema> | null> {
  return Type.Unsafe<StaticDecode<Schema> | null>({ ...schema, nullable: true, default: null });
}

/** A default computed at load: `text` is what the README says, `value` computes it. */
export function derivedDefault(text: string, value: (context: DefaultContext) => unknown): DerivedDefault {
  return { text, value };
}

/** The default is another option's value, as a subgraph's `timeoutMs` is `upstream.timeoutMs`. */
export function fromOption(option: string): DerivedDefault {
  return derivedDefault(`\`${option}\``, (context) => context.get(option));
}

/** The default depends on `mode`. */
export function byMode<Value extends string | number | boolean>(development: Value, production: Value): DerivedDefault {
  return {
    text: `\`${String(development)}\` in development, \`${String(production)}\` in production`,
    value: (context) => (context.get('mode') === 'development' ? development : production),
  };
}

export const HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

/** An HTTP header name, such as a client-name header or a header rule's. */
export const headerName = (settings: OptionSettings = {}) => Type.String({ pattern: HEADER_NAME_PATTERN, accepts: 'an HTTP header name', ...settings });

/**
 * An HTTP header value as RFC 9110 has it (visible ASCII, spaces, tabs, bytes 0x80-0xFF), the
 * characters Node and undici send: one with CR, LF or another control character (from an
 * environment variable, say) would pass the config and then fail every request it is set on.
 */
export const headerValue = (settings: OptionSettings = {}) =>
  Type.String({ pattern: '^[\\t\\x20-\\x7e\\x80-\\xff]*$', accepts: 'an HTTP header value (no CR, LF or other control characters)', ...settings });

/** An http(s) URL. */
export const httpUrl = (settings: OptionSettings = {}) => Type.String({ pattern: '^https?://[^\\s]+$', accepts: 'an http:// or https:// URL', ...settings });

/** A whole number of at least 1 with a default, the most common kind of option. */
export const positive = (defaultValue: number, settings: OptionSettings = {}) => Type.Integer({ minimum: 1, default: defaultValue, ...settings });
