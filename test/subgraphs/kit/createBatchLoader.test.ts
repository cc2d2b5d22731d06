import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createBatchLoader } from '../../../subgraphs/kit/loaders/createBatchLoader.js';

interface Item {
  id: string;
}

function recordingFetch(known: Set<string>, failFor?: string) {
  const calls: string[][] = [];
  const fetch = async (keys: readonly string[]): Promise<Item[]> => {
    calls.push([...keys]);
    if (failFor && keys.includes(failFor)) throw new Error(`backend failed for ${failFor}`);
    // Answer out of order, as a backend may.
    return keys
      .filter((key) => known.has(key))
      .map((id) => ({ id }))
      .reverse();
  };
  return { calls, fetch };
}

describe('createBatchLoader', () => {
  it('answers every key in key order from one call, whatever order the backend answers in', async () => {
    const { calls, fetch } = recordingFetch(new Set(['a', 'b', 'c']));
    const loader = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id });
    const results = await Promise.all(['c', 'a', 'b'].map((key) => loader.load(key)));
    expect(results).toEqual([{ id: 'c' }, { id: 'a' }, { id: 'b' }]);
    expect(calls).toEqual([['c', 'a', 'b']]);
  });

  it('fails a key longer than maxKeyLength alone with BAD_USER_INPUT, and never sends it', async () => {
    const { calls, fetch } = recordingFetch(new Set(['a', 'b']));
    const loader = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id });
    const huge = 'x'.repeat(1024 * 1024);
    const results = await Promise.allSettled(['a', huge, 'b'].map((key) => loader.load(key)));
    expect(results[0]).toEqual({ status: 'fulfilled', value: { id: 'a' } });
    expect(results[2]).toEqual({ status: 'fulfilled', value: { id: 'b' } });
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: { message: 'An id of 1048576 characters is longer than the 256 accepted.', extensions: { code: 'BAD_USER_INPUT' } },
    });
    expect(calls).toEqual([['a', 'b']]);
    const alone = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id, maxKeyLength: 1 });
    await expect(alone.load('ab')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', maxLength: 1 } });
    expect(calls).toHaveLength(1);
  });

  it('fails a key that is not well-formed Unicode (a lone surrogate) alone, and sends the others', async () => {
    const { calls, fetch } = recordingFetch(new Set(['😀']));
    const loader = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id });
    const results = await Promise.allSettled(['😀', '\ud800', 'a\udc00'].map((key) => loader.load(key)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(results[1]).toMatchObject({ reason: { extensions: { code: 'BAD_USER_INPUT' } } });
    expect(calls).toEqual([['😀']]);
  });

  it('resolves a key the backend left out to null', async () => {
    const { fetch } = recordingFetch(new Set(['a']));
    const loader = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id });
    expect(await loader.loadMany(['a', 'missing'])).toEqual([{ id: 'a' }, null]);
  });

  it('sends a duplicated key once', async () => {
    const { calls, fetch } = recordingFetch(new Set(['a', 'b']));
    const loader = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id });
    await Promise.all(['a', 'b', 'a', 'a'].map((key) => loader.load(key)));
    expect(calls).toEqual([['a', 'b']]);
  });

  it('splits a batch at maxBatchSize', async () => {
    const keys = Array.from({ length: 250 }, (_, index) => String(index));
    const { calls, fetch } = recordingFetch(new Set(keys));
    const loader = createBatchLoader({ maxBatchSize: 100, fetch, keyOf: (item) => item.id });
    await loader.loadMany(keys);
    expect(calls.map((call) => call.length)).toEqual([100, 100, 50]);
  });

  it('fails only the keys of the call that failed', async () => {
    const keys = ['1', '2', '3', '4'];
    const { fetch } = recordingFetch(new Set(keys), '4');
    const loader = createBatchLoader({ maxBatchSize: 2, fetch, keyOf: (item) => item.id });
    const results = await loader.loadMany(keys);
    expect(results.slice(0, 2)).toEqual([{ id: '1' }, { id: '2' }]);
    expect(results[2]).toBeInstanceOf(Error);
    expect((results[3] as Error).message).toBe('backend failed for 4');
  });

  it('resolves a key a call cannot carry to null without sending it, and sends its neighbours', async () => {
    const { calls, fetch } = recordingFetch(new Set(['1', '2', '1,1']));
    const loader = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id, carries: (key) => !key.includes(',') });
    expect(await loader.loadMany(['1', '1,1', '2'])).toEqual([{ id: '1' }, null, { id: '2' }]);
    expect(calls).toEqual([['1', '2']]);
  });

  it('splits a batch so that no call carries more than maxBatchBytes, and fails alone a key that needs more by itself', async () => {
    const keys = ['aaaa', 'bb', 'cccc', 'd', 'x'.repeat(11), 'ee'];
    const { calls, fetch } = recordingFetch(new Set(keys));
    const loader = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id, keyBytes: (key) => key.length, maxBatchBytes: 10 });
    const results = await loader.loadMany(keys);
    expect(calls).toEqual([
      ['aaaa', 'bb', 'cccc'],
      ['d', 'ee'],
    ]);
    expect(results.filter((result) => !(result instanceof Error))).toHaveLength(5);
    expect(results[4]).toMatchObject({
      message: 'An id that needs 11 bytes cannot be sent: one call carries at most 10.',
      extensions: { code: 'BAD_USER_INPUT', maxBytes: 10 },
    });
  });

  it("asks again in halves when the backend refuses a call as the caller's fault, so that only the refused key fails, within about 2 log2 n more calls", async () => {
    const keys = Array.from({ length: 100 }, (_, index) => String(index));
    const calls: string[][] = [];
    const fetch = async (asked: readonly string[]) => {
      calls.push([...asked]);
      if (asked.includes('37')) throw new GraphQLError('id 37 is malformed', { extensions: { code: 'BAD_USER_INPUT' } });
      return asked.map((id) => ({ id }));
    };
    const loader = createBatchLoader({ maxBatchSize: 100, fetch, keyOf: (item: Item) => item.id });
    const results = await loader.loadMany(keys);
    expect(results.filter((result) => result instanceof Error)).toEqual([expect.objectContaining({ message: 'id 37 is malformed' })]);
    expect(results[36]).toEqual({ id: '36' });
    // One refused key among 100: the first call, then two halves per level down to it.
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(100)));
    expect(calls).toContainEqual(['37']);

    const everyKeyRefused = createBatchLoader({
      maxBatchSize: 100,
      fetch: async (asked: readonly string[]) => {
        calls.push([...asked]);
        throw new GraphQLError('no', { extensions: { code: 'BAD_USER_INPUT' } });
      },
      keyOf: (item: Item) => item.id,
    });
    calls.length = 0;
    expect((await everyKeyRefused.loadMany(keys)).every((result) => result instanceof Error)).toBe(true);
    // A backend that refuses everything: the first call and its halving budget (2 × 7 + 2), not 2n - 1 = 199.
    expect(calls.length).toBe(1 + 2 * Math.ceil(Math.log2(100)) + 2);
  });

  it('does not ask again when a call fails for a reason no key caused', async () => {
    const { calls, fetch } = recordingFetch(new Set(['1', '2']), '2');
    const loader = createBatchLoader({ maxBatchSize: 10, fetch, keyOf: (item) => item.id });
    const results = await loader.loadMany(['1', '2']);
    expect(results.every((result) => result instanceof Error)).toBe(true);
    expect(calls).toEqual([['1', '2']]);
  });

  it('refuses byte limits that are not a positive integer, or a keyBytes without maxBatchBytes', () => {
    const { fetch } = recordingFetch(new Set());
    const keyOf = (item: Item) => item.id;
    expect(() => createBatchLoader({ maxBatchSize: 1, fetch, keyOf, keyBytes: (key) => key.length })).toThrow('keyBytes and maxBatchBytes go together');
    expect(() => createBatchLoader({ maxBatchSize: 1, fetch, keyOf, keyBytes: (key) => key.length, maxBatchBytes: 0 })).toThrow(
      'maxBatchBytes must be a positive integer (got 0).',
    );
  });

  it('refuses a maxBatchSize that is not a positive integer, printing it', () => {
    const { fetch } = recordingFetch(new Set());
    expect(() => createBatchLoader({ maxBatchSize: 0, fetch, keyOf: (item) => item.id })).toThrow('maxBatchSize must be a positive integer (got 0).');
    expect(() => createBatchLoader({ maxBatchSize: 1.5, fetch, keyOf: (item) => item.id })).toThrow('(got 1.5)');
  });
});
