import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SubgraphName } from '../../test/support/startSubgraphs.js';

/** What `demoServicesMain.ts` sends its parent once every backend and subgraph listens. */
export interface DemoServicesMessage {
  type: 'bench:demo-services';
  urls: Record<SubgraphName, string>;
}

export interface RunningDemoServices {
  /** Each demo subgraph's GraphQL URL. */
  urls: Record<SubgraphName, string>;
  /** Its process id (undefined if it could not be spawned). */
  pid: number | undefined;
  close(): Promise<void>;
}

const entry = fileURLToPath(new URL('./demoServicesMain.ts', import.meta.url));

/**
 * Runs the demo backends and subgraphs (the shop the attacks need: `@authenticated` and
 * `@requiresScopes` fields, identity headers, costed lists) in a child process with this
 * process's CPU affinity, so that they do not share an event loop with the load, and resolves
 * once they listen.
 */
export function spawnDemoServices(options: { requireSignature?: boolean; maxOperationsPerConnection?: number } = {}): Promise<RunningDemoServices> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    // Unsigned requests accepted (signed ones still checked) for a gateway that cannot sign: Hive Gateway.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...(options.requireSignature === false ? { BENCH_UNSIGNED: 'true' } : {}),
      ...(options.maxOperationsPerConnection ? { BENCH_OPERATIONS_PER_CONNECTION: String(options.maxOperationsPerConnection) } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the demo services exited with ${code} before listening`)));
    child.on('message', (message: DemoServicesMessage) => {
      if (message.type !== 'bench:demo-services') return;
      resolve({
        urls: message.urls,
        pid: child.pid,
        async close() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
