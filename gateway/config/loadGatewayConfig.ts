import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { checkGatewayConfig } from './checkGatewayConfig.js';
import { completeConfig } from './completeConfig.js';
import { ConfigError } from './ConfigError.js';
import { asConfigSchemaNode } from './configOptions.js';
import { configMessagesFrom } from './createConfigValidator.js';
import { expandEnv, type Environment } from './expandEnv.js';
import { type GatewayConfig, gatewayConfigSchema } from './GatewayConfig.js';
import { validateConfigFile } from './validateConfigFile.js';

/** Values that win over the config file (the gateway command's flags). */
export interface GatewayConfigOverrides {
  /** `supergraph.path` (`--supergraph`). */
  supergraphPath?: string;
  /** `server.port` (`--port`); a string is converted like an environment value. */
  port?: number | string;
  /** `server.host` (`--host`). */
  host?: string;
  /** `subgraphs.<name>.url` for each name (`--subgraph-url name=url`). */
  subgraphUrls?: Record<string, string>;
  /** `server.workers` (`--workers`): a number, `"auto"`, or a string converted like `port`. */
  workers?: number | string;
}

export interface LoadGatewayConfigOptions {
  /** A `.yaml`, `.yml` or `.json` config file; without one every option takes its default. */
  file?: string;
  /** Values that win over the file, such as command-line flags. */
  overrides?: GatewayConfigOverrides;
  /** @default process.env */
  env?: Environment;
  /** Where relative paths (supergraph, TLS files) are resolved from. @default process.cwd() */
  cwd?: string;
}

const schema = asConfigSchemaNode(gatewayConfigSchema);
const validate = configMessagesFrom(validateConfigFile);

/**
 * Reads, expands, validates and completes the gateway configuration: the file's values, then the
 * overrides, checked against the schema; then every default filled in (`completeConfig`) and the
 * rules across keys checked (`checkGatewayConfig`). Throws one `ConfigError` listing every
 * problem; a config that loads is complete and consistent.
 */
export function loadGatewayConfig(options: LoadGatewayConfigOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];

  const raw = options.file === undefined ? {} : readConfigFile(path.resolve(cwd, options.file));
  const expanded = expandEnv(raw, schema, env, problems);
  const input = applyOverrides(expanded, options.overrides ?? {});

  // A key whose environment variable is missing already has its message.
  const reported = new Set(problems.map((problem) => problem.slice(0, problem.indexOf(':'))));
  problems.push(...validate(input).filter((m) => !reported.has(m.slice(0, m.indexOf(':')))));
  if (problems.length > 0) throw new ConfigError(problems);

  // The schema has checked every value the file gives: what it leaves out can be filled in.
  const config = completeConfig(schema, input, { env, cwd }) as GatewayConfig;
  problems.push(...checkGatewayConfig(config, env));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads and parses the file; an unreadable or unparsable file is a `ConfigError`. */
function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`config file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  const extension = path.extname(file).toLowerCase();
  try {
    if (extension === '.json') return JSON.parse(text) as unknown;
    if (extension === '.yaml' || extension === '.yml') return YAML.parse(text) ?? {};
  } catch (error) {
    throw new ConfigError([`config file ${file}: is not valid ${extension.slice(1).toUpperCase()}: ${(error as Error).message}`]);
  }
  throw new ConfigError([`config file ${file}: unsupported extension "${extension}" (accepted: .yaml, .yml, .json)`]);
}

/** Puts the overrides into the (still unvalidated) config, without changing the input. */
function applyOverrides(config: unknown, overrides: GatewayConfigOverrides): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return config;
  const result: Record<string, unknown> = { ...config };
  // A copy of the object at `key` in `parent`, put in its place (a new one if it was missing);
  // undefined where the file has something else there (`server: [1, 2]`), which is left for
  // validation to name: replacing it with the override's object would drop it without a word.
  const section = (key: string, parent: Record<string, unknown> | undefined = result): Record<string, unknown> | undefined => {
    if (parent === undefined) return undefined;
    const existing = parent[key];
    if (existing !== undefined && existing !== null && (typeof existing !== 'object' || Array.isArray(existing))) return undefined;
    const copy = existing ? { ...existing } : {};
    parent[key] = copy;
    return copy;
  };
  const set = (target: Record<string, unknown> | undefined, key: string, value: unknown) => {
    if (target) target[key] = value;
  };
  if (overrides.supergraphPath !== undefined) set(section('supergraph'), 'path', overrides.supergraphPath);
  if (overrides.host !== undefined) set(section('server'), 'host', overrides.host);
  if (overrides.port !== undefined) set(section('server'), 'port', asNumberIfDigits(overrides.port));
  if (overrides.workers !== undefined) set(section('server'), 'workers', asNumberIfDigits(overrides.workers));
  if (overrides.subgraphUrls !== undefined) {
    const subgraphs = section('subgraphs');
    for (const [name, url] of Object.entries(overrides.subgraphUrls)) set(section(name, subgraphs), 'url', url);
  }
  return result;
}

/** A flag's value as the schema should see it: `"8080"` is 8080, anything else stays for the schema to judge. */
function asNumberIfDigits(value: number | string): number | string {
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
}
