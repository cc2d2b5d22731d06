import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeySetCache } from '../../../gateway/auth/createKeySetCache.js';

const keyA = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const keyB = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;

// A key set whose contents, availability and clock the test controls, counting fetches.
function fixture(cacheMaxAgeMs = 60_000, refetchPerMinute = 3) {
  const state = { time: 0, set: new Map<string, KeyObject>([['a', keyA]]), up: true, fetches: 0, errors: 0 };
  const cache = createKeySetCache(
    { url: 'http://jwks.invalid/keys', cacheMaxAgeMs, refetchPerMinute, timeoutMs: 1000 },
    {
      now: () => state.time,
      fetchKeys: async () => {
        state.fetches += 1;
        if (!state.up) throw new Error('down');
        return new Map(state.set);
      },
      onFetchError: () => (state.errors += 1),
    },
  );
  return { state, cache };
}

describe('createKeySetCache', () => {
  it('fetches once for the first lookup, then answers known kids from the cache', async () => {
    const { state, cache } = fixture();
    expect(await cache.lookup('a')).toEqual({ key: keyA });
    expect(await cache.lookup('a')).toEqual({ key: keyA });
    expect(state.fetches).toBe(1);
  });

  it('looks up an unknown kid at most refetchPerMinute times a minute, then refuses without fetching', async () => {
    const { state, cache } = fixture();
    await cache.lookup('a');
    const answers = [];
    for (let i = 0; i < 20; i += 1) answers.push(await cache.lookup(`invented-${i}`));
    expect(state.fetches).toBe(1 + 3);
    expect(answers.slice(0, 3)).toEqual(Array(3).fill({ missing: 'unknown' }));
    expect(answers.slice(3)).toEqual(Array(17).fill({ missing: 'throttled' }));
    state.time += 20_000; // one more lookup's worth of budget
    expect(await cache.lookup('invented-x')).toEqual({ missing: 'unknown' });
    expect(state.fetches).toBe(5);
  });

  it('finds a rotated-in key with an unknown-kid lookup', async () => {
    const { state, cache } = fixture();
    await cache.lookup('a');
    state.set.set('b', keyB);
    expect(await cache.lookup('b')).toEqual({ key: keyB });
  });

  it('still serves a known kid after a flood of invented ones and past the cache age (no lockout)', async () => {
    const { state, cache } = fixture(1000);
    await cache.lookup('a');
    for (let i = 0; i < 100; i += 1) await cache.lookup(`invented-${i}`);
    state.time += 5000;
    for (let i = 0; i < 100; i += 1) await cache.lookup(`invented-again-${i}`);
    expect(await cache.lookup('a')).toEqual({ key: keyA });
    expect(state.fetches).toBeLessThanOrEqual(1 + 3 + 3);
  });

  it('finds a key rotated in during a flood, through the fetches the flood is allowed', async () => {
    const { state, cache } = fixture(600_000);
    await cache.lookup('a');
    for (let i = 0; i < 100; i += 1) await cache.lookup(`invented-${i}`);
    state.set.set('b', keyB);
    expect(await cache.lookup('b')).toEqual({ missing: 'throttled' });
    state.time += 20_000; // one unknown-kid fetch's worth, which the flood takes
    for (let i = 0; i < 100; i += 1) await cache.lookup(`invented-again-${i}`);
    expect(await cache.lookup('b')).toEqual({ key: keyB });
    expect(state.fetches).toBe(1 + 3 + 1);
  });

  it('serves an expired key while the set is down, refreshing at a bounded rate, and drops it once the set no longer has it', async () => {
    const { state, cache } = fixture(1000);
    await cache.lookup('a');
    state.up = false;
    state.time += 2000;
    for (let i = 0; i < 50; i += 1) expect(await cache.lookup('a')).toEqual({ key: keyA });
    await Promise.resolve();
    expect(state.fetches).toBeLessThanOrEqual(1 + 3);
    expect(state.errors).toBe(state.fetches - 1);
    // The set is back, without "a" (revoked): the next refresh takes it out.
    state.up = true;
    state.set = new Map([['b', keyB]]);
    state.time += 60_000;
    expect(await cache.lookup('a')).toEqual({ key: keyA }); // served while the refresh runs
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.lookup('a')).toEqual({ missing: 'unknown' });
  });

  it('shares one fetch among lookups that arrive while it runs', async () => {
    const { state, cache } = fixture();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => cache.lookup(i % 2 ? 'a' : `invented-${i}`)));
    expect(state.fetches).toBe(1);
    expect(answers.filter((answer) => 'key' in answer)).toHaveLength(25);
  });

  it('says the set is unavailable when it has never been fetched', async () => {
    const { state, cache } = fixture();
    state.up = false;
    expect(await cache.lookup('a')).toEqual({ missing: 'unavailable' });
  });
});
