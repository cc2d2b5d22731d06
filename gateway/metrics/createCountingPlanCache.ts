import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';

/**
 * The gateway's query plan cache: an LRU of Apollo Gateway's default size (30 MiB, sized as it
 * sizes plans), handed to it through `queryPlannerConfig.cache` so that each lookup can be
 * counted as a hit or a miss. Apollo Gateway's own cache is private.
 */
export function createCountingPlanCache<T>(onLookup: (outcome: 'hit' | 'miss') => void, maxMiB = 30): KeyValueCache<T> & { clear(): void } {
  const cache = new InMemoryLRUCache<T>({
    maxSize: maxMiB * 2 ** 20,
    sizeCalculation: (plan) => Math.max(1, Buffer.byteLength(JSON.stringify(plan), 'utf8')),
  });
  return {
    async get(key) {
      const plan = await cache.get(key);
      onLookup(plan === undefined ? 'miss' : 'hit');
      return plan;
    },
    set: (key, value, options) => cache.set(key, value, options),
    delete: (key) => cache.delete(key),
    // The gateway empties the cache when it loads a new supergraph.
    clear: () => cache.clear(),
  };
}
