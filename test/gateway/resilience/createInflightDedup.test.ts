import { describe, expect, it } from 'vitest';
import type { CancelSignal } from '../../../gateway/resilience/Cancellation.js';
import { createInflightDedup } from '../../../gateway/resilience/createInflightDedup.js';

describe('createInflightDedup', () => {
  const deferred = () => {
    let resolve!: (value: { n: number[] }) => void;
    const promise = new Promise<{ n: number[] }>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('runs once for callers with the same key and gives every one its result', async () => {
    const dedup = createInflightDedup<{ n: number[] }>();
    const call = deferred();
    let starts = 0;
    let joins = 0;
    const start = () => {
      starts += 1;
      return call.promise;
    };
    const a = dedup.run('k', undefined, start, () => joins++);
    const b = dedup.run('k', undefined, start, () => joins++);
    const other = dedup.run('other', undefined, async () => ({ n: [9] }));
    call.resolve({ n: [1] });
    const [ra, rb] = await Promise.all([a, b]);
    expect(starts).toBe(1);
    expect(joins).toBe(1);
    expect(ra).toEqual({ n: [1] });
    expect(rb).toBe(ra);
    expect(await other).toEqual({ n: [9] });
    expect(dedup.size()).toBe(0);
  });

  it('tells shareAmong how many callers get a result, before any does, leaving out callers that left', async () => {
    const told: string[] = [];
    const dedup = createInflightDedup<{ n: number[] }>((result, callers) => told.push(`shared ${result.n[0]} among ${callers}`));
    const call = deferred();
    const leaving = new AbortController();
    const start = () => call.promise;
    const waits = [dedup.run('k', undefined, start), dedup.run('k', leaving.signal, start), dedup.run('k', undefined, start)];
    for (const wait of waits)
      wait.then(
        () => told.push('got it'),
        () => told.push('left'),
      );
    leaving.abort();
    await Promise.resolve();
    call.resolve({ n: [1] });
    await Promise.allSettled(waits);
    await Promise.resolve();
    expect(told).toEqual(['left', 'shared 1 among 2', 'got it', 'got it']);
    // A failed run shares nothing.
    const failed = dedup.run('k', undefined, async () => Promise.reject(new Error('down')));
    await expect(failed).rejects.toThrow('down');
    expect(told).toHaveLength(4);
  });

  it('keeps the shared run while one caller still waits, aborts it when the last one leaves', async () => {
    const dedup = createInflightDedup<{ n: number[] }>();
    let sharedSignal: CancelSignal | undefined;
    const start = (signal: CancelSignal) => {
      sharedSignal = signal;
      return new Promise<{ n: number[] }>(() => {});
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = dedup.run('k', first.signal, start);
    const b = dedup.run('k', second.signal, start);
    await Promise.resolve();
    first.abort();
    await expect(a).rejects.toThrow();
    expect(sharedSignal?.aborted).toBe(false);
    second.abort();
    await expect(b).rejects.toThrow();
    expect(sharedSignal?.aborted).toBe(true);
  });

  it('starts a new run for a caller that comes after every caller of the run in flight has left', async () => {
    const dedup = createInflightDedup<string>();
    let starts = 0;
    const hanging = (signal: CancelSignal) => {
      starts += 1;
      // Settles only when told to stop, as a subgraph call does some time after its abort.
      return new Promise<string>((_, reject) => signal.addEventListener('abort', () => setTimeout(() => reject(new Error('cancelled')), 50)));
    };
    const gone = new AbortController();
    const first = dedup.run('k', gone.signal, hanging);
    await Promise.resolve();
    gone.abort();
    await expect(first).rejects.toThrow();
    // The cancelled run is still settling: a newcomer must not inherit its cancellation.
    const second = dedup.run('k', undefined, async () => {
      starts += 1;
      return 'fresh';
    });
    expect(await second).toBe('fresh');
    expect(starts).toBe(2);
  });

  it('gives every caller of a failed run its error, and forgets the run', async () => {
    const dedup = createInflightDedup<string>();
    let starts = 0;
    const failing = async () => {
      starts += 1;
      throw new Error('down');
    };
    await Promise.all([expect(dedup.run('k', undefined, failing)).rejects.toThrow('down'), expect(dedup.run('k', undefined, failing)).rejects.toThrow('down')]);
    expect(starts).toBe(1);
    expect(dedup.size()).toBe(0);
    expect(await dedup.run('k', undefined, async () => 'up')).toBe('up');
  });

  it("tells the shared run's listeners of its abort once, functions and handleEvent objects alike, in order, and never one removed", async () => {
    const dedup = createInflightDedup<string>();
    const told: string[] = [];
    const start = (signal: CancelSignal) => {
      const removed = () => told.push('removed');
      signal.addEventListener('abort', () => told.push('function'));
      signal.addEventListener('abort', { handleEvent: () => told.push('object') }, { once: true });
      signal.addEventListener('abort', removed);
      signal.removeEventListener('abort', removed);
      return new Promise<string>(() => {});
    };
    const caller = new AbortController();
    const waiting = dedup.run('k', caller.signal, start);
    caller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(told).toEqual(['function', 'object']);
  });

  it('gives the caller the error of a start that throws at once, and forgets the run', async () => {
    const dedup = createInflightDedup<string>();
    await expect(
      dedup.run('k', undefined, () => {
        throw new Error('at once');
      }),
    ).rejects.toThrow('at once');
    expect(dedup.size()).toBe(0);
  });

  it('gives a caller whose signal has already aborted its reason, and makes no run for nobody', async () => {
    const dedup = createInflightDedup<string>();
    let shared: CancelSignal | undefined;
    const caller = new AbortController();
    caller.abort(new Error('before'));
    await expect(
      dedup.run('k', caller.signal, (signal) => {
        shared = signal;
        return Promise.resolve('late');
      }),
    ).rejects.toThrow('before');
    expect(shared?.aborted).toBe(true);
  });
});
