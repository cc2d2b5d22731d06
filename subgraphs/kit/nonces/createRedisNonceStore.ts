import { Redis } from 'ioredis';
import type { NonceStore } from './NonceStore.js';

/**
 * Nonces in Redis, shared by every replica of a subgraph: one `SET key 1 NX PX ttl` per request,
 * which is atomic, so of two replicas given the same request exactly one accepts it. Keys expire
 * with the signature. When Redis cannot answer, `claim` rejects and the request is refused
 * (failing closed: a replay window is what the store exists to shut).
 */
export function createRedisNonceStore(url: string, options: { subgraph: string; keyPrefix?: string }): NonceStore {
  const client = new Redis(url, {
    // A command waits at most 2 s, connected or not: then the request is refused, not hung.
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  // Errors reach the callers of `claim`; without a listener ioredis would log each reconnection.
  client.on('error', () => {});
  const prefix = `${options.keyPrefix ?? 'portico:nonce:'}${options.subgraph}:`;
  return {
    async claim(nonce, expiresAt) {
      const ttl = Math.max(1, expiresAt - Date.now());
      return (await client.set(prefix + nonce, '1', 'PX', ttl, 'NX')) === 'OK';
    },
    async close() {
      client.disconnect();
    },
  };
}
