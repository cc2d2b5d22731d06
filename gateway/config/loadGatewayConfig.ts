import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { ConfigError } from './ConfigError.js';
import { expandEnv, type Environment } from './expandEnv.js';
import { isFile } from './isFile.js';
import { formatSchemaErrors } from './formatSchemaErrors.js';
import type { GatewayConfig, GatewayMode, SubgraphConfig } from './GatewayConfig.js';
import { gatewayConfigSchema } from './gatewayConfigSchema.js';
import { completeSecurityConfig, type SecurityFileShape } from './completeSecurityConfig.js';
import { checkTrafficConsistency } from './checkTrafficConsistency.js';

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

// The Prometheus exporter port of OpenTelemetry's conventions.
const DEFAULT_METRICS_PORT = 9464;

// Compiled once per process: the schema never changes.
const validate = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true })
  .addKeyword('accepts')
  .compile(gatewayConfigSchema);

/**
 * Reads, expands, validates and completes the gateway configuration. Throws one `ConfigError`
 * listing every problem; a config that loads is complete and consistent.
 */
export function loadGatewayConfig(options: LoadGatewayConfigOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];

  const raw = options.file === undefined ? {} : readConfigFile(path.resolve(cwd, options.file));
  const expanded = expandEnv(raw, gatewayConfigSchema, env, problems);
  const input = applyOverrides(expanded, options.overrides ?? {});

  if (!validate(input)) {
    // A key whose environment variable is missing already has its message.
    const reported = new Set(problems.map((problem) => problem.slice(0, problem.indexOf(':'))));
    problems.push(...formatSchemaErrors(validate.errors ?? []).filter((m) => !reported.has(m.slice(0, m.indexOf(':')))));
  }
  if (problems.length > 0) throw new ConfigError(problems);

  // The schema has checked the shape and filled in the static defaults.
  const { config, problems: securityProblems } = complete(input as unknown as FileShape, env, cwd);
  problems.push(...securityProblems, ...checkConsistency(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The config as the schema leaves it: static defaults filled, mode-dependent ones not. */
type FileShape = Omit<
  GatewayConfig,
  'mode' | 'introspection' | 'landingPage' | 'explorer' | 'includeStacktraceInErrors' | 'server' | 'subgraphs' | 'redis' | 'trustedDocuments' | 'telemetry' | keyof SecurityFileShape
> &
  SecurityFileShape &
  Partial<Pick<GatewayConfig, 'mode' | 'introspection' | 'landingPage' | 'explorer' | 'includeStacktraceInErrors'>> & {
    server: Omit<GatewayConfig['server'], 'tls' | 'workers'> & { tls?: { certFile: string; keyFile: string }; workers: number | 'auto' };
    subgraphs: Record<string, Partial<SubgraphConfig>>;
    redis: { url?: string; keyPrefix: string };
    trustedDocuments: { mode: GatewayConfig['trustedDocuments']['mode']; manifest?: string };
    telemetry: { tracing: Omit<GatewayConfig['telemetry']['tracing'], 'otlpEndpoint'> & { otlpEndpoint?: string } };
    metrics: Omit<GatewayConfig['metrics'], 'listener' | 'host' | 'port'> & Partial<Pick<GatewayConfig['metrics'], 'listener' | 'host' | 'port'>>;
  };

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
  // A copy of the object at `key` in `parent`, put in its place (a new one if it was missing).
  const section = (key: string, parent: Record<string, unknown> = result): Record<string, unknown> => {
    const existing = parent[key];
    const copy = typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? { ...existing } : {};
    parent[key] = copy;
    return copy;
  };
  if (overrides.supergraphPath !== undefined) section('supergraph').path = overrides.supergraphPath;
  if (overrides.host !== undefined) section('server').host = overrides.host;
  if (overrides.port !== undefined) section('server').port = asNumberIfDigits(overrides.port);
  if (overrides.workers !== undefined) section('server').workers = asNumberIfDigits(overrides.workers);
  if (overrides.subgraphUrls !== undefined) {
    const subgraphs = section('subgraphs');
    for (const [name, url] of Object.entries(overrides.subgraphUrls)) section(name, subgraphs).url = url;
  }
  return result;
}

/** A flag's value as the schema should see it: `"8080"` is 8080, anything else stays for the schema to judge. */
function asNumberIfDigits(value: number | string): number | string {
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
}

/** Fills in the defaults that depend on other values and makes paths absolute. */
function complete(file: FileShape, env: Environment, cwd: string): { config: GatewayConfig; problems: string[] } {
  const mode: GatewayMode = file.mode ?? (env.NODE_ENV === 'production' ? 'production' : 'development');
  const development = mode === 'development';
  const tls = file.server.tls;
  const subgraphs: Record<string, SubgraphConfig> = {};
  for (const [name, subgraph] of Object.entries(file.subgraphs)) {
    subgraphs[name] = subgraphDefaults(file.upstream, subgraph);
  }
  const { security, problems } = completeSecurityConfig(file, { mode, env, cwd });
  // NODE_ENV=production is how a platform says "this is production"; a file copied from a
  // development setup must not quietly turn on introspection, the sandbox and development secrets.
  if (file.mode === 'development' && env.NODE_ENV === 'production') {
    problems.push(
      'mode: "development" in the config file, but NODE_ENV=production: remove mode from the file (NODE_ENV then decides), set mode: production, or unset NODE_ENV to run in development',
    );
  }
  const config: GatewayConfig = {
    mode,
    introspection: file.introspection ?? development,
    landingPage: file.landingPage ?? development,
    explorer: file.explorer ?? development,
    includeStacktraceInErrors: file.includeStacktraceInErrors ?? false,
    supergraph: { ...file.supergraph, path: path.resolve(cwd, file.supergraph.path) },
    server: {
      ...file.server,
      workers: file.server.workers === 'auto' ? availableParallelism() : file.server.workers,
      tls:
        tls === undefined ? null : { certFile: path.resolve(cwd, tls.certFile), keyFile: path.resolve(cwd, tls.keyFile) },
    },
    upstream: file.upstream,
    // Metrics name operations and clients: production keeps them off the public port. A gateway
    // on a free port (tests, several on one machine) gets its metrics listener on one too.
    metrics: {
      ...file.metrics,
      listener: file.metrics.listener ?? (development ? 'public' : 'internal'),
      port: file.metrics.port ?? (file.server.port === 0 ? 0 : DEFAULT_METRICS_PORT),
      host: file.metrics.host ?? file.server.host,
    },
    subgraphs,
    redis: { url: file.redis.url ?? null, keyPrefix: file.redis.keyPrefix },
    limits: file.limits,
    demandControl: file.demandControl,
    rateLimit: file.rateLimit,
    persistedQueries: file.persistedQueries,
    trustedDocuments: {
      mode: file.trustedDocuments.mode,
      manifest: file.trustedDocuments.manifest === undefined ? null : path.resolve(cwd, file.trustedDocuments.manifest),
    },
    telemetry: { tracing: { ...file.telemetry.tracing, otlpEndpoint: file.telemetry.tracing.otlpEndpoint ?? null } },
    ...security,
  };
  return { config, problems };
}

/** One subgraph's settings, each missing one taken from `upstream`. */
export function subgraphDefaults(upstream: GatewayConfig['upstream'], subgraph: Partial<SubgraphConfig> = {}): SubgraphConfig {
  return {
    ...subgraph,
    timeoutMs: subgraph.timeoutMs ?? upstream.timeoutMs,
    dedupQueries: subgraph.dedupQueries ?? upstream.dedupQueries,
    retry: { ...upstream.retry, ...subgraph.retry },
    breaker: { ...upstream.breaker, ...subgraph.breaker },
  };
}

/** Rules across keys, and files that must exist. */
function checkConsistency(config: GatewayConfig): string[] {
  const problems: string[] = [];
  if (config.supergraph.url === undefined && !isFile(config.supergraph.path)) {
    problems.push(
      `supergraph.path: no file at ${config.supergraph.path} (run "portico compose" to write it, or pass --supergraph FILE)`,
    );
  }
  const { tls, cors, graphqlPath } = config.server;
  if (tls) {
    for (const key of ['certFile', 'keyFile'] as const) {
      if (!isFile(tls[key])) {
        problems.push(
          existsSync(tls[key])
            ? `server.tls.${key}: ${tls[key]} is not a file`
            : `server.tls.${key}: no file at ${tls[key]}`,
        );
      }
    }
  }
  if (config.mode === 'production' && config.includeStacktraceInErrors) {
    problems.push('includeStacktraceInErrors: cannot be true in production mode (it would send internals to clients)');
  }
  if (cors.credentials && cors.origins.includes('*')) {
    problems.push(
      'server.cors.credentials: cannot be true while server.cors.origins contains "*" (list the origins that may send cookies)',
    );
  }
  if (graphqlPath === '/health' || graphqlPath === '/ready' || graphqlPath === '/metrics') {
    problems.push(`server.graphqlPath: "${graphqlPath}" is taken by the gateway's own endpoint`);
  }
  const { metrics } = config;
  if (metrics.enabled && metrics.listener === 'internal' && metrics.port !== 0 && metrics.port === config.server.port) {
    problems.push(`metrics.port: ${metrics.port} is server.port; the internal metrics listener needs a port of its own (or metrics.listener: public)`);
  }
  const tracing = config.telemetry.tracing;
  if (tracing.enabled && tracing.otlpEndpoint === null) {
    problems.push('telemetry.tracing.otlpEndpoint: required when telemetry.tracing.enabled is true (e.g. http://collector:4318/v1/traces)');
  }
  problems.push(...checkTrafficConsistency(config));
  return problems;
}
