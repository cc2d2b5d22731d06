import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.js';

export interface RunningSentinel {
  /** `redis+sentinel://127.0.0.1:PORT/<name>`, as the gateway's `redis.url` takes it. */
  url: string;
  /** The ports of the first primary and of its replica (the primary after a failover). */
  primaryPort: number;
  replicaPort: number;
  /** SIGKILL to the primary, as if its machine died; Sentinel then promotes the replica. */
  killPrimary(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Real Redis processes for Sentinel tests: a primary, one replica of it, and one sentinel
 * watching them (quorum 1, down after 1 s), each on a free loopback port, with no persistence.
 * Resolves once the replica has synchronised and the sentinel watches the primary.
 */
export async function startRedisSentinel(name = 'portico'): Promise<RunningSentinel> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-sentinel-'));
  const [primaryPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const children: ChildProcess[] = [];
  const start = (args: string[], readyWhen: RegExp) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    return new Promise<ChildProcess>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server ${args.join(' ')} exited with ${code}: ${output}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (readyWhen.test(output)) {
          child.removeAllListeners('exit');
          resolve(child);
        }
      });
    });
  };
  const primary = await start(['--port', String(primaryPort), ...common], /Ready to accept connections/);
  await start(['--port', String(replicaPort), '--replicaof', '127.0.0.1', String(primaryPort), ...common], /sync: Finished with success/);
  // Sentinel rewrites its config file, so it gets one of its own.
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      '',
    ].join('\n'),
  );
  await start([config, '--sentinel'], /\+monitor master/);
  const stop = async (child: ChildProcess, signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return {
    url: `redis+sentinel://127.0.0.1:${sentinelPort}/${name}`,
    primaryPort,
    replicaPort,
    killPrimary: () => stop(primary, 'SIGKILL'),
    close: async () => {
      // Nothing is persisted: no need for Redis's own shutdown, which waits for replicas.
      for (const child of children) await stop(child, 'SIGKILL');
    },
  };
}
