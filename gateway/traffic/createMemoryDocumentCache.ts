import { LRUCache } from 'lru-cache';
import type { DocumentCache } from './createRedisDocumentCache.js';

// What Apollo Server's own in-memory APQ cache holds (its InMemoryLRUCache's default size).
const MAX_BYTES = 30 * 2 ** 20;

/**
 * APQ documents in this process, an LRU by size as Apollo Server's default store is: built here
 * so that the documents it gives back pass through the same check as Redis's
 * (createVerifiedDocumentCache), which Apollo Server's own store offers no way to wrap.
 */
export function createMemoryDocumentCache(maxBytes = MAX_BYTES): DocumentCache {
  const documents = new LRUCache<string, string>({ maxSize: maxBytes, sizeCalculation: (document) => Math.max(1, document.length) });
  return {
    async get(key) {
      return documents.get(key);
    },
    async set(key, document, options) {
      documents.set(key, document, options?.ttl ? { ttl: options.ttl * 1000 } : {});
    },
    async delete(key) {
      return documents.delete(key);
    },
  };
}
