import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSubgraphName } from '../subgraphs/startBenchSubgraphs.js';
import { grafbaseCommand } from './grafbaseCommand.js';
import type { GatewayCommand } from './startGatewayProcess.js';
import { porticoGatewayArgs, porticoImageEnv } from './porticoGatewayArgs.js';

/** In-flight de-duplication of identical subgraph requests, where a gateway has it. */
export type DedupMode = 'on' | 'off';

export type BenchGatewayId = 'portico' | 'apollo-gateway' | 'hive-gateway' | 'hive-gateway-rust-planner' | 'grafbase';

export interface BenchGateway {
  id: BenchGatewayId;
  name: string;
  /** The modes it is run in; empty for a gateway that has no de-duplication to switch. */
  dedupModes: readonly DedupMode[];
  /** What its de-duplication is and how the bench switches it, for the report. */
  dedup: string;
  /** `dedup` is null exactly when `dedupModes` is empty. */
  command(setup: { supergraphFile: string; subgraphUrls: Record<BenchSubgraphName, string>; port: number; dedup: DedupMode | null }): GatewayCommand;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const require = createRequire(import.meta.url);
const hiveBin = join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist/bin.js');

// Each gateway's own name for "on": Portico's config takes a boolean, Hive's config reads this.
const dedupEnv = (dedup: DedupMode | null) => ({ BENCH_DEDUP: dedup === 'off' ? 'false' : 'true' });

const hiveDedup =
  "identical subgraph queries in flight share one request: `transportEntries['*.http'].options.deduplicateInflightRequests` " +
  '(default on); its de-duplication of incoming client requests (`inboundInflightRequestDeduplication`) stays off, its default';

const hive =
  (rustPlanner: boolean): BenchGateway['command'] =>
  ({ supergraphFile, port, dedup }) => ({
    args: [
      hiveBin,
      'supergraph',
      supergraphFile,
      '--config-path',
      here('./hive/gateway.config.ts'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      ...(rustPlanner ? ['--hive-router-runtime'] : []),
    ],
    env: dedupEnv(dedup),
  });

/**
 * Portico's real command line, so that whatever the gateway becomes is what gets measured; run
 * from the checkout at `root` (`npm run bench:compare` runs two).
 */
export function porticoCommand(root: string): BenchGateway['command'] {
  return ({ supergraphFile, port, dedup }) => ({
    args: porticoGatewayArgs({
      root,
      // Each checkout's own bench config: an older build refuses options added since.
      config: existsSync(join(root, 'bench/gateways/portico.yaml')) ? join(root, 'bench/gateways/portico.yaml') : here('./portico.yaml'),
      supergraph: supergraphFile,
      port,
    }),
    // Production needs a signing secret; the bench subgraphs do not check signatures.
    env: { ...dedupEnv(dedup), PORTICO_SIGNING_SECRET: randomBytes(24).toString('hex'), ...porticoImageEnv },
  });
}

/** The gateways `npm run bench` compares, in the order it runs them. */
export const benchGateways: readonly BenchGateway[] = [
  {
    id: 'portico',
    name: 'Portico',
    dedupModes: ['on', 'off'],
    dedup: 'identical subgraph queries in flight share one request: `upstream.dedupQueries` (default on)',
    command: porticoCommand(here('../..')),
  },
  {
    id: 'apollo-gateway',
    name: 'Apollo Gateway',
    dedupModes: [],
    dedup: 'none: every fetch of every plan is sent; its one run is the baseline of both modes',
    command: ({ supergraphFile, port }) => ({ args: ['--import', 'tsx', here('./apolloGateway.ts'), supergraphFile, String(port)] }),
  },
  { id: 'hive-gateway', name: 'Hive Gateway (JS planner)', dedupModes: ['on', 'off'], dedup: hiveDedup, command: hive(false) },
  {
    id: 'hive-gateway-rust-planner',
    name: 'Hive Gateway (Rust planner)',
    dedupModes: ['on', 'off'],
    dedup: `${hiveDedup}; \`--hive-router-runtime\``,
    command: hive(true),
  },
  {
    id: 'grafbase',
    name: 'Grafbase Gateway (Rust)',
    dedupModes: ['on', 'off'],
    dedup:
      'identical subgraph requests in flight share one: `[traffic_shaping] inflight_deduplication` (default on, so "on" is its default configuration); ' +
      '`grafbase dev`, composing the same subgraph SDL',
    command: grafbaseCommand,
  },
];
