import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { AttackId, AttackTally } from './BenchAttack.js';

/** What the parent tells `attackerMain.ts`. */
export type AttackerCommand = { type: 'start'; attack: AttackId; url: string; localAddress: string; maxMs: number } | { type: 'stop' };

/** What `attackerMain.ts` tells its parent. */
export type AttackerMessage = { type: 'ready' } | { type: 'attacking' } | { type: 'tally'; tally: AttackTally };

export interface RunningAttacker {
  /** Its process id (undefined if it could not be spawned). */
  pid: number | undefined;
  /** Resolves once the attack has started. */
  attacking: Promise<void>;
  /** Ends the attack; resolves with its tally, or null when the attacker had to be killed. */
  stop(): Promise<AttackTally | null>;
}

const entry = fileURLToPath(new URL('./attackerMain.ts', import.meta.url));
/** How long a stopped attacker may take to let its requests in flight finish. */
const stopGraceMs = 15_000;

/**
 * Runs one attack in a child process (its own event loop, so that the attacker at full speed
 * does not delay the legitimate client's timers and callbacks in this one) from `localAddress`.
 * It stops by itself after `maxMs` if never told to.
 */
export function spawnAttacker(attack: AttackId, url: string, localAddress: string, maxMs: number): RunningAttacker {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let tally: AttackTally | null = null;
  const attacking = new Promise<void>((resolve, reject) => {
    child.on('message', (message: AttackerMessage) => {
      // Orders go out once it listens for them (loading it takes a while).
      if (message.type === 'ready') child.send({ type: 'start', attack, url, localAddress, maxMs } satisfies AttackerCommand);
      if (message.type === 'attacking') resolve();
      if (message.type === 'tally') tally = message.tally;
    });
    void exited.then(() => reject(new Error(`the attacker (${attack}) exited before attacking`)));
  });
  attacking.catch(() => undefined);
  return {
    pid: child.pid,
    attacking,
    async stop() {
      if (child.connected) child.send({ type: 'stop' } satisfies AttackerCommand);
      const gaveUp = await Promise.race([exited.then(() => false), sleep(stopGraceMs).then(() => true)]);
      if (gaveUp) {
        child.kill('SIGKILL');
        await exited;
      }
      return tally;
    },
  };
}
