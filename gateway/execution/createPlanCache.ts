import { LRUCache } from 'lru-cache';

export interface PlanCache<T extends object> {
  get(key: string): T | undefined;
  set(key: string, plan: T): void;
}

/**
 * The gateway's query plan cache: an LRU of at most `maxMiB` (30, Apollo Gateway's default),
 * each plan sized by its JSON. Every lookup is reported as a hit or a miss, for the metrics. One
 * per supergraph load (see `SupergraphSnapshot`), so a load starts empty.
 */
export function createPlanCache<T extends object>(onLookup: (outcome: 'hit' | 'miss') => void, maxMiB = 30): PlanCache<T> {
  const cache = new LRUCache<string, T>({
    maxSize: maxMiB * 2 ** 20,
    sizeCalculation: (plan) => Math.max(1, Buffer.byteLength(JSON.stringify(plan), 'utf8')),
  });
  return {
    get(key) {
      const plan = cache.get(key);
      onLookup(plan === undefined ? 'miss' : 'hit');
      return plan;
    },
    set: (key, plan) => void cache.set(key, plan),
  };
}
