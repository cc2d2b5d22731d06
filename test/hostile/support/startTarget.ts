import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { runGatewayProcess } from '../../gateway/fixtures/runGatewayProcess.js';
import { closeClientConnections } from '../../support/closeClientConnections.js';
import type { EntryProcess } from '../../support/runEntryProcess.js';
import { startDemoBackends, type DemoBackends } from '../../support/startDemoBackends.js';
import { startSubgraphs, testSigningSecret, type RunningSubgraphs } from '../../support/startSubgraphs.js';
import { porticoImageEnv } from '../../../bench/gateways/porticoGatewayArgs.js';

/** The JWT secret of the target gateway, for tests that mint their own tokens. */
export const targetJwtSecret = 'hostile-suite-jwt-secret-0123456789';

export interface Target {
  /** `http://127.0.0.1:PORT`, the gateway process's public listener. */
  origin: string;
  /** `${origin}/graphql`. */
  url: string;
  /** The gateway process (a real `portico gateway`). */
  gateway: EntryProcess;
  backends: DemoBackends;
  subgraphs: RunningSubgraphs;
  /** The gateway's resident set size now, in bytes (from /proc). */
  rssBytes(): number;
  /** Whether the gateway process is still running. */
  alive(): boolean;
  /** Everything the gateway wrote to stdout and stderr. */
  output(): string;
  close(): Promise<void>;
}

export interface TargetOptions {
  mode: 'development' | 'production';
  /** Gateway config merged over what the target sets (authentication with `targetJwtSecret`, the subgraph URLs). */
  config?: Record<string, unknown>;
  /** Environment of the gateway process, over the target's. */
  env?: Record<string, string>;
  /** Subgraphs the gateway is to find elsewhere than the demo's (a misbehaving server the test runs), by name. */
  subgraphUrls?: Record<string, string>;
}

/**
 * What the hostile suite attacks: a real `portico gateway` process, in development or production
 * mode, in front of the demo subgraphs and backends (built in this test's process: they are not
 * the target). Authentication is optional, with an HS256 secret the tests can sign with.
 */
export async function startTarget(options: TargetOptions): Promise<Target> {
  const backends = await startDemoBackends();
  const subgraphs = await startSubgraphs(backends, { development: options.mode === 'development' });
  const config = {
    mode: options.mode,
    supergraph: { path: resolve('schema/supergraph.graphql') },
    subgraphs: Object.fromEntries(Object.entries({ ...subgraphs.urls, ...options.subgraphUrls }).map(([name, url]) => [name, { url }])),
    authentication: { mode: 'optional', secret: '${env.PORTICO_JWT_SECRET}' },
    ...options.config,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'portico-hostile-')), 'gateway.yaml');
  writeFileSync(file, stringify(config));
  // In the container image's environment (its young generation and malloc arenas), as deployed:
  // without it the memory a test bounds moves with the Node version (Node 26's defaults hold
  // 20-30 MiB more under the subscription flood than Node 20's).
  const gateway = runGatewayProcess(['--config', file, '--port', '0', '--host', '127.0.0.1'], {
    ...porticoImageEnv,
    NODE_ENV: options.mode,
    PORTICO_SIGNING_SECRET: testSigningSecret,
    PORTICO_JWT_SECRET: targetJwtSecret,
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  let port: number;
  try {
    port = await gateway.port;
  } catch (error) {
    await subgraphs.close();
    await backends.close();
    throw error;
  }
  let exitCode: number | null | undefined;
  void gateway.exited.then((code) => (exitCode = code));
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/graphql`,
    gateway,
    backends,
    subgraphs,
    rssBytes: () => rssOf(gateway.child.pid!),
    alive: () => exitCode === undefined && gateway.child.exitCode === null && gateway.child.signalCode === null,
    output: gateway.output,
    async close() {
      if (gateway.child.exitCode === null && gateway.child.signalCode === null) {
        await closeClientConnections();
        gateway.child.kill('SIGTERM');
        await gateway.exited;
      }
      await subgraphs.close();
      await backends.close();
    },
  };
}

/** A process's resident set size in bytes, from `/proc/PID/status`. */
function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
