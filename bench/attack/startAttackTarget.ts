import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { testSigningSecret, type SubgraphName } from '../../test/support/startSubgraphs.js';
import { findFreePort, startGatewayProcess, type GatewayProcess } from '../gateways/startGatewayProcess.js';
import { attackJwtSecret } from './attackJwtSecret.js';
import { porticoGatewayArgs, porticoImageEnv } from '../gateways/porticoGatewayArgs.js';

/** The attacked gateway's limits, per second so that an attack of a few seconds meets them. */
export interface AttackRateLimit {
  /** HTTP requests one client address may send (`rateLimit.perAddress`, counted before auth and body). */
  requestsPerAddressPerSecond: number;
  /** Operations one client (token subject, known API key, else address) may run (`rateLimit.default`). */
  operationsPerSecond: number;
  /** Estimated cost units one client may spend (`rateLimit.cost`). */
  costPerSecond: number;
}

/**
 * The time a client has to send its whole body (`server.bodyTimeoutMs`): a JSON body of a few KB
 * arrives in one packet, so an operator facing the Internet sets a few seconds rather than the
 * 10 s default; shorter than the measured window, so that the slow-body attack meets it.
 */
export const attackBodyTimeoutMs = 3000;

/** The one API key this operator has issued (a partner's); the attacker does not know it. */
const knownApiKey = randomBytes(24).toString('base64url');
/** `rateLimit.pace.maxDelayMs`: an operation may wait up to a window (a second here) for its turn. */
const attackPaceMaxDelayMs = 1000;

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The gateway config an operator would write after reading issue 15 and the README's security
 * model: production mode, HS256 authentication (optional, so anonymous shoppers are served; tokens
 * must expire, the default), a per-address limit on every HTTP request (before auth and body) and
 * per-client operation and cost limits on the memory store, paced (`rateLimit.pace`), the API keys
 * it issued, a short body timeout, and `/metrics` on the internal listener (production's default)
 * at `metricsPort`; everything else at its production default. `runAttackScenario` sizes the limits
 * from the quiet run so that the legitimate clients never meet them and the attacker (127.0.0.2) does.
 */
export function attackGatewayConfig(subgraphUrls: Record<SubgraphName, string>, rateLimit: AttackRateLimit, metricsPort: number): Record<string, unknown> {
  return {
    mode: 'production',
    server: { bodyTimeoutMs: attackBodyTimeoutMs },
    supergraph: { path: resolve(root, 'schema/supergraph.graphql') },
    subgraphs: Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [name, { url }])),
    authentication: { mode: 'optional', secret: '${env.PORTICO_JWT_SECRET}' },
    rateLimit: {
      enabled: true,
      store: 'memory',
      apiKeys: [knownApiKey],
      perAddress: { windowSeconds: 1, limit: rateLimit.requestsPerAddressPerSecond, ...perAddressOverrides() },
      default: { windowSeconds: 1, limit: rateLimit.operationsPerSecond },
      cost: { windowSeconds: 1, budget: rateLimit.costPerSecond },
      // A client at its limits runs its operations at their rate, not a second's worth at once.
      pace: { maxDelayMs: attackPaceMaxDelayMs, ...paceOverrides() },
    },
    metrics: { enabled: true, listener: 'internal', port: metricsPort },
  };
}

/** The attacked gateway, and where its internal listener serves `/metrics`. */
export interface AttackTarget extends GatewayProcess {
  /** `http://127.0.0.1:PORT/metrics` on the internal listener (the public port answers 404 there). */
  metricsUrl: string;
}

/**
 * A fresh `portico gateway` process (its real command, in the container image's environment) with
 * `attackGatewayConfig`, on a free port of 127.0.0.1 and its metrics on another; resolves once it
 * answers.
 */
export async function startAttackTarget(subgraphUrls: Record<SubgraphName, string>, rateLimit: AttackRateLimit, cpu: number | null): Promise<AttackTarget> {
  const port = await findFreePort();
  let metricsPort = await findFreePort();
  while (metricsPort === port) metricsPort = await findFreePort();
  const file = join(mkdtempSync(join(tmpdir(), 'portico-bench-attack-')), 'gateway.yaml');
  writeFileSync(file, stringify(attackGatewayConfig(subgraphUrls, rateLimit, metricsPort)));
  const gateway = await startGatewayProcess(
    {
      args: porticoGatewayArgs({ root, config: file, port, nodeArgs: process.env.BENCH_GATEWAY_NODE_ARGS?.split(' ').filter(Boolean) ?? [] }),
      env: { ...porticoImageEnv, PORTICO_SIGNING_SECRET: testSigningSecret, PORTICO_JWT_SECRET: attackJwtSecret, LOG_LEVEL: 'warn' },
    },
    { port, cpu },
  );
  return Object.assign(gateway, { metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });
}

/**
 * `BENCH_ATTACK_PACE`, a JSON object merged into `rateLimit.pace`, for a before/after comparison
 * in the same run, such as `{"maxDelayMs":0}` (no pacing). Unset: the scenario's.
 */
function paceOverrides(): Record<string, unknown> {
  const text = process.env.BENCH_ATTACK_PACE;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * `BENCH_ATTACK_PER_ADDRESS`, a JSON object merged into `rateLimit.perAddress`, for a before/after
 * comparison in the same run, such as `{"holdRefusalsMs":0,"maxConnections":0}` (refusals answered
 * at once, connections not capped: the gateway before held refusals). Unset: the defaults.
 */
function perAddressOverrides(): Record<string, unknown> {
  const text = process.env.BENCH_ATTACK_PER_ADDRESS;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
