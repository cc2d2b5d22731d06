import type { PersistedQueryOptions } from '@apollo/server';
import type { RedisClient } from './createRedisClient.js';
import type { Logger } from '../../common/createLogger.js';

/** Apollo Server's `KeyValueCache<string>`, as its APQ option names it. */
export type DocumentCache = NonNullable<PersistedQueryOptions['cache']>;

// A Redis that is down fails every APQ request: logged at most this often, not once per request.
const WARNING_INTERVAL_MS = 10_000;

/**
 * Apollo Server's APQ cache interface over Redis, so that a document registered through one
 * replica is found by every other. A Redis failure (unreachable, or no answer within
 * `redis.commandTimeoutMs`) is a cache miss, not an error: the client's APQ link then sends the
 * full document, which still runs.
 */
export function createRedisDocumentCache(redis: RedisClient, keyPrefix: string, logger: Logger): DocumentCache {
  const key = (hash: string) => `${keyPrefix}apq:${hash}`;
  let lastWarning = 0;
  const warn = (error: unknown) => {
    if (Date.now() - lastWarning <= WARNING_INTERVAL_MS) return;
    lastWarning = Date.now();
    logger.warn({ err: String(error) }, 'APQ store unreachable; treating it as a miss');
  };
  return {
    async get(hash) {
      try {
        return (await redis.get(key(hash))) ?? undefined;
      } catch (error) {
        warn(error);
        return undefined;
      }
    },
    async set(hash, document, options) {
      try {
        if (options?.ttl) await redis.set(key(hash), document, 'EX', options.ttl);
        else await redis.set(key(hash), document);
      } catch (error) {
        warn(error);
      }
    },
    async delete(hash) {
      try {
        await redis.del(key(hash));
      } catch (error) {
        warn(error);
      }
    },
  };
}
