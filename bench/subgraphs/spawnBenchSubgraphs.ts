import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchSubgraphName, RunningBenchSubgraphs } from './startBenchSubgraphs.js';

/** What `main.ts` sends its parent once every subgraph listens. */
export interface BenchSubgraphsMessage {
  type: 'bench:subgraphs';
  urls: Record<BenchSubgraphName, string>;
}

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * Runs the bench subgraphs in a child process (its own event loop, apart from the load
 * generator's), with this process's CPU affinity, and resolves once they listen.
 */
export function spawnBenchSubgraphs(): Promise<RunningBenchSubgraphs> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench subgraphs exited with ${code} before listening`)));
    child.on('message', (message: BenchSubgraphsMessage) => {
      if (message.type !== 'bench:subgraphs') return;
      resolve({
        urls: message.urls,
        async close() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
