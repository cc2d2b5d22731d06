import { afterAll, describe, expect, it } from 'vitest';
import { isRunning, nodeChildrenOf } from '../support/nodeChildrenOf.js';
import { startDev } from '../support/startDev.js';

// `portico dev` killed outright, which nothing can undo: a stack of its own (dev.e2e.ts shares
// one between its other tests), in this repository as a person runs it.
const services: number[] = [];

afterAll(() => {
  for (const pid of services) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

// Waits until no process in `pids` is alive, or fails after `limitMs` naming the survivors.
async function allExit(pids: number[], limitMs: number): Promise<number[]> {
  const until = Date.now() + limitMs;
  while (Date.now() < until && pids.some(isRunning)) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isRunning);
}

describe('portico dev', () => {
  it('leaves no service running when it is killed outright', { timeout: 240_000 }, async () => {
    const { dev } = await startDev();
    const children = nodeChildrenOf(dev.pid!);
    services.push(dev.pid!, ...children);
    expect(children).toHaveLength(9);
    dev.kill('SIGKILL');
    expect(await allExit(children, 20_000)).toEqual([]);
  });
});
