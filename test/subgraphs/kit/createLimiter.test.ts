import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../subgraphs/kit/loaders/createLimiter.js';

// Tasks that stay pending until released, counting how many run at once.
function gatedTasks() {
  let inFlight = 0;
  let peak = 0;
  const gates: Array<() => void> = [];
  const task = async () => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise<void>((resolve) => gates.push(resolve));
    inFlight -= 1;
  };
  const releaseAll = async (until: Promise<unknown>) => {
    let settled = false;
    void until.finally(() => (settled = true)).catch(() => undefined);
    while (!settled) {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { task, releaseAll, peak: () => peak, started: () => gates.length };
}

describe('createLimiter', () => {
  it('runs at most `max` tasks at once, however many callers share it', async () => {
    const limit = createLimiter(4);
    const gated = gatedTasks();
    const all = Promise.all(Array.from({ length: 12 }, () => limit(gated.task)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(gated.started()).toBe(4);
    await gated.releaseAll(all);
    expect(gated.peak()).toBe(4);
  });

  it('passes on what the task resolves with, or its error, and frees the slot either way', async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => 'value')).resolves.toBe('value');
    await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(async () => 'after')).resolves.toBe('after');
  });

  it('starts no waiting task once the signal fires', async () => {
    const controller = new AbortController();
    const limit = createLimiter(1, controller.signal);
    const gated = gatedTasks();
    const first = limit(gated.task);
    let secondRan = false;
    const second = limit(async () => void (secondRan = true));
    const secondOutcome = expect(second).rejects.toThrow('The request was cancelled before this call started.');
    controller.abort();
    await gated.releaseAll(first);
    await secondOutcome;
    await expect(second).rejects.toThrow('The request was cancelled before this call started.');
    expect(secondRan).toBe(false);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a max of %s', (max) => {
    expect(() => createLimiter(max)).toThrow(`concurrency must be a positive integer (got ${String(max)}).`);
  });
});
