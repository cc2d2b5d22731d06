import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { developmentSecrets } from '../../common/developmentSecrets.js';
import { isReservedHeader } from '../subgraphRequests/isReservedHeader.js';
import type { Environment } from './expandEnv.js';
import type { GatewayConfig } from './GatewayConfig.js';
import { isFile } from './isFile.js';
import type { HeaderRule } from './SecurityConfig.js';

/**
 * Every rule that spans keys, or needs a file to exist, on the completed config: the one place
 * after the schema where a config is refused. Returns all problems, so that they are reported at once.
 */
export function checkGatewayConfig(config: GatewayConfig, env: Environment): string[] {
  return [...checkServing(config, env), ...checkSecurity(config, env), ...checkTraffic(config)];
}

function checkServing(config: GatewayConfig, env: Environment): string[] {
  const problems: string[] = [];
  // NODE_ENV=production is how a platform says "this is production"; a file copied from a
  // development setup must not quietly turn on introspection, the sandbox and development secrets.
  // (Without mode in the file, NODE_ENV=production makes it production.)
  if (config.mode === 'development' && env.NODE_ENV === 'production') {
    problems.push(
      'mode: "development" in the config file, but NODE_ENV=production: remove mode from the file (NODE_ENV then decides), set mode: production, or unset NODE_ENV to run in development',
    );
  }
  if (config.supergraph.url === undefined && !isFile(config.supergraph.path)) {
    problems.push(`supergraph.path: no file at ${config.supergraph.path} (run "portico compose" to write it, or pass --supergraph FILE)`);
  }
  const { tls, cors, graphqlPath } = config.server;
  for (const key of ['certFile', 'keyFile'] as const) {
    if (tls && !isFile(tls[key]))
      problems.push(existsSync(tls[key]) ? `server.tls.${key}: ${tls[key]} is not a file` : `server.tls.${key}: no file at ${tls[key]}`);
  }
  if (config.mode === 'production' && config.includeStacktraceInErrors) {
    problems.push('includeStacktraceInErrors: cannot be true in production mode (it would send internals to clients)');
  }
  if (cors.credentials && cors.origins.includes('*')) {
    problems.push('server.cors.credentials: cannot be true while server.cors.origins contains "*" (list the origins that may send cookies)');
  }
  if (graphqlPath === '/health' || graphqlPath === '/ready' || graphqlPath === '/metrics') {
    problems.push(`server.graphqlPath: "${graphqlPath}" is taken by the gateway's own endpoint`);
  }
  const { pace } = config.rateLimit;
  if (pace.maxDelayMs >= config.server.requestTimeoutMs) {
    problems.push(
      `rateLimit.pace.maxDelayMs: ${pace.maxDelayMs} is not below server.requestTimeoutMs (${config.server.requestTimeoutMs}); an operation waiting for its turn that long would time out before it runs`,
    );
  }
  const { metrics } = config;
  if (metrics.enabled && metrics.listener === 'internal' && metrics.port !== 0 && metrics.port === config.server.port) {
    problems.push(`metrics.port: ${metrics.port} is server.port; the internal metrics listener needs a port of its own (or metrics.listener: public)`);
  }
  const { tracing } = config.telemetry;
  if (tracing.enabled && tracing.otlpEndpoint === null) {
    problems.push('telemetry.tracing.otlpEndpoint: required when telemetry.tracing.enabled is true (e.g. http://collector:4318/v1/traces)');
  }
  return problems;
}

// Keys for each algorithm, secrets that are long enough and not the public development ones.
function checkSecurity(config: GatewayConfig, env: Environment): string[] {
  const problems: string[] = [];
  const development = config.mode === 'development';
  const { mode, algorithms, secret, publicKeyFile, jwks } = config.authentication;
  const asymmetric = publicKeyFile !== null || jwks !== null;
  if (secret !== null && secret.length < 16) problems.push('authentication.secret (or PORTICO_JWT_SECRET): must be at least 16 characters');
  if (!development && secret === developmentSecrets.jwt) problems.push('authentication.secret: the development secret cannot be used in production');
  if (publicKeyFile !== null && !isFile(publicKeyFile)) problems.push(`authentication.publicKeyFile: no file at ${publicKeyFile}`);
  else if (publicKeyFile !== null && !isPublicKey(publicKeyFile)) {
    problems.push(`authentication.publicKeyFile: ${publicKeyFile} is not a public key (PEM, such as "-----BEGIN PUBLIC KEY-----", or a certificate)`);
  }
  if (mode !== 'off' && !secret && !asymmetric) {
    problems.push(
      `authentication.mode: "${mode}" needs a key: set authentication.secret (or PORTICO_JWT_SECRET), authentication.publicKeyFile or authentication.jwks.url`,
    );
  }
  for (const algorithm of algorithms) {
    if (algorithm.startsWith('HS') && !secret) problems.push(`authentication.algorithms: ${algorithm} needs authentication.secret (or PORTICO_JWT_SECRET)`);
    if (!algorithm.startsWith('HS') && !asymmetric)
      problems.push(`authentication.algorithms: ${algorithm} needs authentication.publicKeyFile or authentication.jwks.url`);
  }
  const { policyModule } = config.authorization;
  if (policyModule !== null && !isFile(policyModule)) problems.push(`authorization.policyModule: no file at ${policyModule}`);

  const signing = config.subgraphSigning.secret;
  if (signing === '' && env.PORTICO_SIGNING_SECRET === undefined) {
    problems.push('subgraphSigning.secret: required in production; set PORTICO_SIGNING_SECRET (the subgraphs need the same value)');
  } else if (signing.length < 16) {
    problems.push('subgraphSigning.secret (or PORTICO_SIGNING_SECRET): must be at least 16 characters');
  } else if (!development && signing === developmentSecrets.signing) {
    problems.push('subgraphSigning.secret: the development secret cannot be used in production');
  }
  problems.push(...checkHeaderRules('headers.all', config.headers.all));
  for (const [name, rules] of Object.entries(config.headers.subgraphs)) problems.push(...checkHeaderRules(`headers.subgraphs.${name}`, rules));
  return problems;
}

// Each rule is exactly one of its three forms, and never touches a reserved header.
function checkHeaderRules(at: string, rules: readonly HeaderRule[]): string[] {
  const problems: string[] = [];
  rules.forEach((rule, index) => {
    const where = `${at}[${index}]`;
    const keys = Object.keys(rule).sort().join(',');
    if (!['propagate', 'propagate,rename', 'matching', 'set,value'].includes(keys)) {
      problems.push(
        `${where}: must be one of { propagate: NAME }, { propagate: NAME, rename: NAME }, { matching: REGEX }, { set: NAME, value: TEXT } (got keys ${keys || 'none'})`,
      );
      return;
    }
    for (const name of [(rule as { propagate?: string }).propagate, (rule as { rename?: string }).rename, (rule as { set?: string }).set]) {
      if (name !== undefined && isReservedHeader(name))
        problems.push(`${where}: "${name}" is reserved (hop-by-hop, content or x-portico-*; forward tokens with authentication.forwardToken)`);
    }
    if ('matching' in rule) {
      try {
        new RegExp(rule.matching, 'i');
      } catch (error) {
        problems.push(`${where}.matching: not a valid regular expression (${(error as Error).message})`);
      }
    }
  });
  return problems;
}

// A Redis store needs `redis.url`, trusted documents a manifest file, and each rate-limit rule
// says what it counts, under a unique name.
function checkTraffic(config: GatewayConfig): string[] {
  const problems: string[] = [];
  for (const key of ['rateLimit', 'persistedQueries', 'operationRecording'] as const) {
    if (config[key].store === 'redis' && config.redis.url === null) {
      problems.push(`${key}.store: "redis" needs redis.url (such as "redis://localhost:6379"), or use "memory"`);
    }
  }
  const { mode, manifest } = config.trustedDocuments;
  if (mode !== 'off' && manifest === null) problems.push(`trustedDocuments.manifest: mode "${mode}" needs a persisted query manifest file`);
  if (manifest !== null && !isFile(manifest)) problems.push(`trustedDocuments.manifest: no file at ${manifest}`);
  const { bodyBytes } = config.rateLimit.perAddress;
  if (bodyBytes.limit > 0 && bodyBytes.limit < config.server.bodyLimitBytes) {
    problems.push(
      `rateLimit.perAddress.bodyBytes.limit: ${bodyBytes.limit} is less than server.bodyLimitBytes (${config.server.bodyLimitBytes}); a body between them would always be refused (raise it, or 0 for no budget)`,
    );
  }
  // The per-address budgets' counters are named so too (their keys must not meet a rule's).
  const names = new Set<string>(['address', 'default', 'cost', 'newDocuments', 'bodyBytes', 'authFailures']);
  config.rateLimit.rules.forEach((rule, index) => {
    const key = `rateLimit.rules[${index}]`;
    if ((rule.operationName === undefined) === (rule.rootField === undefined)) {
      problems.push(`${key}: set exactly one of operationName and rootField (rule "${rule.name}")`);
    }
    if (names.has(rule.name))
      problems.push(
        `${key}.name: "${rule.name}" is taken (rule names are unique; "address", "default", "cost", "newDocuments", "bodyBytes" and "authFailures" are built in)`,
      );
    names.add(rule.name);
  });
  return problems;
}

/** Whether the file holds a key Node can verify signatures with (the gateway reads it once, at start). */
function isPublicKey(file: string): boolean {
  try {
    createPublicKey(readFileSync(file));
    return true;
  } catch {
    return false;
  }
}
