import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../../../subgraphs/kit/nonces/createMemoryNonceStore.js';

describe('createMemoryNonceStore', () => {
  it('accepts a nonce once while its signature is valid, and forgets it after', async () => {
    let now = 1_000;
    const store = createMemoryNonceStore({ now: () => now, sweepMs: 1 });
    try {
      expect(await store.claim('nonce-a', 61_000)).toBe(true);
      expect(await store.claim('nonce-a', 61_000)).toBe(false);
      expect(await store.claim('nonce-b', 61_000)).toBe(true);
      now = 61_001;
      // Its signature is refused as stale by now anyway; the store need not keep it.
      expect(await store.claim('nonce-a', 121_001)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
