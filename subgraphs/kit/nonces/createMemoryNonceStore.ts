import type { NonceStore } from './NonceStore.js';

/**
 * Nonces in this process's memory: right for one replica of a subgraph (a replay sent to another
 * replica is not seen; use Redis then). Entries live only as long as their signature is valid,
 * so the map holds at most the signed requests of one signature max age; expired ones are swept
 * every `sweepMs`. Only requests with a valid signature reach it, so no one without the signing
 * secret can fill it.
 */
export function createMemoryNonceStore(options: { now?: () => number; sweepMs?: number } = {}): NonceStore {
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  const sweep = setInterval(() => {
    const at = now();
    for (const [nonce, expiresAt] of seen) if (expiresAt < at) seen.delete(nonce);
  }, options.sweepMs ?? 10_000);
  sweep.unref();
  return {
    async claim(nonce, expiresAt) {
      const known = seen.get(nonce);
      if (known !== undefined && known >= now()) return false;
      seen.set(nonce, expiresAt);
      return true;
    },
    async close() {
      clearInterval(sweep);
      seen.clear();
    },
  };
}
