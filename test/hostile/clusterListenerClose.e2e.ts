import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readyOnFreshConnection } from '../support/readyOnFreshConnection.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target } from './support/startTarget.js';

// Long enough that the workers are stopped before it is over, on a loaded machine too.
const drainDelayMs = 3000;

/**
 * A gateway of two workers closes its shared listener on SIGTERM (after `server.drainDelayMs`).
 * Under Node's round-robin scheduling the cluster primary accepts every connection and hands it
 * to a worker over IPC: a connection on its way to the last worker as that worker closes its
 * listener used to be refused by the worker and then kept by the primary, never answered nor
 * closed, until the primary exited (nodejs/node#21746). The race is made certain here, not left
 * to load: both workers are stopped (SIGSTOP) while draining, a connection is accepted by the
 * primary and handed to one of them, and they resume after their drain delay, so that each closes
 * its listener before it reads the connection handed to it.
 */
describe('a gateway of two workers closing its listener on SIGTERM', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({
      mode: 'production',
      config: { server: { workers: 2, drainDelayMs, keepAliveTimeoutMs: 30_000 } },
      // The workers say when their drain begins (info).
      env: { LOG_LEVEL: 'info' },
    });
  });

  afterAll(async () => {
    for (const pid of workersOf(target.gateway.child.pid!)) signal(pid, 'SIGCONT');
    await target?.close();
  });

  it('answers a connection the primary handed to a worker as the worker closed its listener, then refuses new ones, and exits 0', async () => {
    const primary = target.gateway.child.pid!;
    const workers = workersOf(primary);
    expect(workers).toHaveLength(2);

    target.gateway.child.kill('SIGTERM');
    // Both workers are draining: their listener closes drainDelayMs from now.
    while ((target.output().match(/not ready; the listener closes in/g) ?? []).length < 2) await sleep(5);
    for (const pid of workers) signal(pid, 'SIGSTOP');

    // Accepted by the primary (which holds one more socket then), handed to a stopped worker.
    const before = socketsOf(primary);
    let settled = false;
    const answer = readyOnFreshConnection(target.origin).finally(() => (settled = true));
    while (socketsOf(primary) <= before && !settled) await sleep(5);
    // Past their drain delay, the workers close their listener first thing when they resume:
    // the timer is due, and Node runs due timers before it reads the IPC channel.
    await sleep(drainDelayMs + 500);
    for (const pid of workers) signal(pid, 'SIGCONT');

    expect(await answer).toMatch(/^HTTP\/1\.1 503 [\s\S]*\r\nconnection: close\r\n/i);
    // The listener does close: a new connection is refused (the primary's listener closes once
    // the last worker leaves the rotation).
    let next: string;
    do next = await readyOnFreshConnection(target.origin);
    while (next !== 'ECONNREFUSED');
    expect(await target.gateway.exited, target.output()).toBe(0);
  });
});

/** The process ids of a process's children (the cluster workers of a primary). */
function workersOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** How many sockets a process holds open. */
function socketsOf(pid: number): number {
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) count += 1;
    } catch {
      // Closed since it was listed.
    }
  }
  return count;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
