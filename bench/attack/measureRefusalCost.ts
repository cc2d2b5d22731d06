// Gateway CPU per refused request, without the demo stack: a production gateway with the attack
// scenario's config shape (subgraphs unreachable: only refusals are sent), flooded from 127.0.0.2
// by `floodRequests`, its CPU time read from /proc before and after. Load-independent enough to
// compare a change on a busy machine:
//   node --import tsx bench/attack/measureRefusalCost.ts [over-limit|bad-token|invalid-query] [seconds] [cpu]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { findFreePort, startGatewayProcess } from '../gateways/startGatewayProcess.js';
import { attackJwtSecret } from './attackJwtSecret.js';
import { cpuSecondsOf } from './cpuSecondsOf.js';
import { floodRequests, type FloodRequest } from './floodRequests.js';
import { signJwt } from './signJwt.js';
import { validityClaims } from './validityClaims.js';
import { attackGatewayConfig } from './startAttackTarget.js';
import { porticoGatewayArgs } from '../gateways/porticoGatewayArgs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const kind = process.argv[2] ?? 'over-limit';
const seconds = Number(process.argv[3] ?? 5);
const cpu = process.argv[4] === undefined ? 0 : Number(process.argv[4]);
const concurrency = Number(process.env.CONCURRENCY ?? 32);

const query = JSON.stringify({ query: '{ topProducts(first: 1) { upc } }' });
const badToken = `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'mallory', ...validityClaims() }, 'wrong-secret')}`;
const requests: Record<string, FloodRequest> = {
  'over-limit': { body: query },
  'bad-token': { body: query, headers: { authorization: badToken } },
  'invalid-query': { body: JSON.stringify({ query: '{ noSuchField }' }) },
};
const request = requests[kind];
if (!request) throw new Error(`kind: one of ${Object.keys(requests).join(', ')}`);
const unreachable = 'http://127.0.0.1:9/graphql';
const subgraphs = { accounts: unreachable, products: unreachable, inventory: unreachable, reviews: unreachable };
const limit = kind === 'over-limit' ? 1 : 1_000_000_000;
const port = await findFreePort();
const metricsPort = await findFreePort();
const file = join(mkdtempSync(join(tmpdir(), 'portico-refusal-cost-')), 'gateway.yaml');
const config = attackGatewayConfig(
  subgraphs,
  { requestsPerAddressPerSecond: limit, operationsPerSecond: 1_000_000_000, costPerSecond: 1_000_000_000 },
  metricsPort,
);
writeFileSync(file, stringify(config));
const gateway = await startGatewayProcess(
  {
    args: porticoGatewayArgs({ root, config: file, port, nodeArgs: process.env.BENCH_GATEWAY_NODE_ARGS?.split(' ').filter(Boolean) ?? [] }),
    env: { PORTICO_JWT_SECRET: attackJwtSecret, PORTICO_SIGNING_SECRET: 'x'.repeat(32), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    cwd: resolve(root),
  },
  { port, cpu },
);
try {
  const controller = new AbortController();
  const cpuBefore = cpuSecondsOf(gateway.pid) ?? 0;
  const startedAt = performance.now();
  setTimeout(() => controller.abort(), seconds * 1000);
  const tally = await floodRequests({ url: gateway.url, localAddress: '127.0.0.2', signal: controller.signal }, { concurrency, next: () => request });
  const elapsed = (performance.now() - startedAt) / 1000;
  const cpuSeconds = (cpuSecondsOf(gateway.pid) ?? 0) - cpuBefore;
  const answered = Object.values(tally.byStatus).reduce((a, b) => a + b, 0);
  console.log(
    JSON.stringify({
      kind,
      requestsPerSecond: Math.round(answered / elapsed),
      gatewayCpuPercent: Math.round((100 * cpuSeconds) / elapsed),
      gatewayMicrosecondsPerRequest: Math.round((1e6 * cpuSeconds) / Math.max(1, answered)),
      byStatus: tally.byStatus,
      transportErrors: tally.transportErrors,
    }),
  );
} finally {
  await gateway.stop();
}
