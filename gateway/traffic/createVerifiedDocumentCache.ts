import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../common/createLogger.js';
import type { LimitsConfig } from '../config/TrafficConfig.js';
import { checkDocument } from './checkDocument.js';
import type { DocumentCache } from './createRedisDocumentCache.js';

// Apollo Server prefixes every key it gives its APQ cache with this (its APQ_CACHE_PREFIX).
const APQ_PREFIX = 'apq:';
// Apollo Server registers a document only under the SHA-256 it computes itself: lowercase hex.
const HASH = /^[0-9a-f]{64}$/;
// Verdicts of the document limits, by hash: one per registered document, so a few thousand.
const MAX_VERDICTS = 10_000;
const WARNING_INTERVAL_MS = 10_000;

/**
 * An APQ store whose documents are checked as they are read back, since what it holds is not
 * necessarily what this gateway registered: a Redis is written by every replica (one with
 * looser `limits`, or from before they were tightened) and by anyone who can reach it. A
 * document is given to Apollo Server only if its SHA-256 is the hash asked for (otherwise a
 * hash-only request would run whatever was stored under it) and it is within the document
 * limits, which otherwise see only documents sent in full (createDocumentLimits). Anything else
 * is a miss, logged at most every 10 s: the client's APQ link then sends the document in full,
 * which the document limits judge as any other (and which, accepted, replaces what was stored).
 * The limits' verdict is kept per hash (a hash names one document), so a document is measured
 * once, and a refused one is not read again.
 */
export function createVerifiedDocumentCache(cache: DocumentCache, limits: LimitsConfig, logger: Logger): DocumentCache {
  const verdicts = new LRUCache<string, boolean>({ max: MAX_VERDICTS });
  let lastWarning = 0;
  const refuse = (hash: string, why: string): undefined => {
    if (Date.now() - lastWarning > WARNING_INTERVAL_MS) {
      lastWarning = Date.now();
      logger.warn({ queryHash: hash }, `APQ store: ${why}; treating it as a miss`);
    }
    return undefined;
  };
  return {
    async get(key) {
      const hash = key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key;
      // No document can be registered under anything else: nothing to look up.
      if (!HASH.test(hash) || verdicts.get(hash) === false) return undefined;
      const document = await cache.get(key);
      if (document === undefined) return undefined;
      if (createHash('sha256').update(document).digest('hex') !== hash) return refuse(hash, 'the document stored under this hash has another hash');
      let within = verdicts.get(hash);
      if (within === undefined) {
        within = checkDocument(document, limits) === null;
        verdicts.set(hash, within);
      }
      return within ? document : refuse(hash, 'the document stored under this hash is over the document limits');
    },
    set: (key, document, options) => cache.set(key, document, options),
    delete: (key) => cache.delete(key),
  };
}
