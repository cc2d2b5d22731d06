import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { testSigningSecret, type SubgraphName } from '../../test/support/startSubgraphs.js';
import { findFreePort, startGatewayProcess, type GatewayProcess } from '../gateways/startGatewayProcess.js';
import { attackJwtSecret } from './attackJwtSecret.js';

/** Operations and cost units one client (address, API key or token subject) may spend per second. */
export interface AttackRateLimit {
  operationsPerSecond: number;
  costPerSecond: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The gateway config an operator would write after reading issue 15: production mode, HS256
 * authentication (optional, so anonymous shoppers are served), rate limits on the memory store,
 * metrics on; everything else at its production default. The limits are per second so that an
 * attack of a few seconds meets them: `runAttackScenario` sizes them from the quiet run.
 */
export function attackGatewayConfig(subgraphUrls: Record<SubgraphName, string>, rateLimit: AttackRateLimit): Record<string, unknown> {
  return {
    mode: 'production',
    supergraph: { path: resolve(root, 'schema/supergraph.graphql') },
    subgraphs: Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [name, { url }])),
    authentication: { mode: 'optional', secret: '${env.PORTICO_JWT_SECRET}' },
    rateLimit: {
      enabled: true,
      store: 'memory',
      default: { windowSeconds: 1, limit: rateLimit.operationsPerSecond },
      cost: { windowSeconds: 1, budget: rateLimit.costPerSecond },
    },
    metrics: { enabled: true },
  };
}

/**
 * A fresh `portico gateway` process (its real command, NODE_ENV=production) with
 * `attackGatewayConfig`, on a free port of 127.0.0.1; resolves once it answers.
 */
export async function startAttackTarget(
  subgraphUrls: Record<SubgraphName, string>,
  rateLimit: AttackRateLimit,
  cpu: number | null,
): Promise<GatewayProcess> {
  const file = join(mkdtempSync(join(tmpdir(), 'portico-bench-attack-')), 'gateway.yaml');
  writeFileSync(file, stringify(attackGatewayConfig(subgraphUrls, rateLimit)));
  const port = await findFreePort();
  return startGatewayProcess(
    {
      args: [join(root, 'bin/portico.js'), 'gateway', '--config', file, '--host', '127.0.0.1', '--port', String(port)],
      env: { PORTICO_SIGNING_SECRET: testSigningSecret, PORTICO_JWT_SECRET: attackJwtSecret, LOG_LEVEL: 'warn' },
    },
    { port, cpu },
  );
}
