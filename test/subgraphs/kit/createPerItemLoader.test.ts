import { describe, expect, it } from 'vitest';
import { createPerItemLoader } from '../../../subgraphs/kit/loaders/createPerItemLoader.js';

// A fetch whose calls stay pending until released, so the test sees how many run at once.
function gatedFetch() {
  const started: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const gates: Array<() => void> = [];
  const fetch = async (key: string) => {
    started.push(key);
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise<void>((resolve) => gates.push(resolve));
    inFlight -= 1;
    if (key.startsWith('bad')) throw new Error(`no ${key}`);
    return `value of ${key}`;
  };
  // Opens the gates one at a time, yielding between, until `until` settles.
  const release = async <T>(until: Promise<T>): Promise<T> => {
    let settled = false;
    const done = until.finally(() => {
      settled = true;
    });
    while (!settled) {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return done;
  };
  return { fetch, started, release, peak: () => peak };
}

describe('createPerItemLoader', () => {
  it('fails a key longer than maxKeyLength alone with BAD_USER_INPUT, without calling the backend for it', async () => {
    const seen: string[] = [];
    const loader = createPerItemLoader({ fetch: async (key: string) => (seen.push(key), `value of ${key}`) });
    const results = await Promise.allSettled(['a', 'y'.repeat(257)].map((key) => loader.load(key)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'value of a' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { extensions: { code: 'BAD_USER_INPUT', maxLength: 256 } } });
    expect(seen).toEqual(['a']);
  });

  it('fetches each distinct key once', async () => {
    const gate = gatedFetch();
    const loader = createPerItemLoader({ fetch: gate.fetch, concurrency: 4 });
    const results = await gate.release(Promise.all(['a', 'b', 'a', 'c', 'b'].map((key) => loader.load(key))));
    expect(results).toEqual(['value of a', 'value of b', 'value of a', 'value of c', 'value of b']);
    expect([...gate.started].sort()).toEqual(['a', 'b', 'c']);
  });

  it('never has more than `concurrency` calls in flight, across batches', async () => {
    const gate = gatedFetch();
    const loader = createPerItemLoader({ fetch: gate.fetch, concurrency: 3 });
    const first = loader.loadMany(Array.from({ length: 10 }, (_, index) => `k${index}`));
    await new Promise((resolve) => setImmediate(resolve));
    // A second batch, dispatched while the first is still running, shares the same cap.
    const second = loader.loadMany(Array.from({ length: 10 }, (_, index) => `m${index}`));
    await gate.release(Promise.all([first, second]));
    expect(gate.started).toHaveLength(20);
    expect(gate.peak()).toBe(3);
  });

  it('fails only the key whose call failed', async () => {
    const gate = gatedFetch();
    const loader = createPerItemLoader({ fetch: gate.fetch });
    const [a, bad, b] = await gate.release(loader.loadMany(['a', 'bad-1', 'b']));
    expect(a).toBe('value of a');
    expect(b).toBe('value of b');
    expect(bad).toBeInstanceOf(Error);
    expect((bad as Error).message).toBe('no bad-1');
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => createPerItemLoader({ fetch: async () => 1, concurrency: 0 })).toThrow('concurrency must be a positive integer (got 0).');
  });
});

describe('createPerItemLoader and a cancelled request', () => {
  it('starts no waiting call once the request is aborted, and fails those keys', async () => {
    const gate = gatedFetch();
    const controller = new AbortController();
    const loader = createPerItemLoader({ fetch: gate.fetch, concurrency: 2, signal: controller.signal });
    const pending = loader.loadMany(['a', 'b', 'c', 'd', 'e']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.started).toEqual(['a', 'b']);
    controller.abort();
    const results = await gate.release(pending);
    expect(gate.started).toEqual(['a', 'b']);
    expect(results.slice(0, 2)).toEqual(['value of a', 'value of b']);
    for (const result of results.slice(2)) expect((result as Error).message).toBe('The request was cancelled before this call started.');
  });
});
