import type { Logger } from '../../../common/createLogger.js';
import type { RedisClient } from '../../traffic/createRedisClient.js';
import { keyOf, type OperationSighting, type OperationStore, type RecordedOperation } from './RecordedOperation.js';

export interface RedisOperationStoreOptions {
  redis: RedisClient;
  /** `redis.keyPrefix`. */
  keyPrefix: string;
  maxOperations: number;
  ttlSeconds: number;
  flushIntervalMs: number;
  logger: Logger;
}

/** The three keys, in one hash slot (the `{operations}` tag) so that a Redis Cluster can run the trim script. */
export function operationKeys(keyPrefix: string): { seen: string; info: string; counts: string } {
  const base = `${keyPrefix}{operations}`;
  return { seen: `${base}:seen`, info: `${base}:info`, counts: `${base}:counts` };
}

// Keeps the `cap` most recently seen operations: the sorted set's oldest members go, with their
// fields of the two hashes. One script, so that a reader never sees half a trim.
const TRIM = `
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[1])
if excess > 0 then
  local old = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
  for i = 1, #old do
    redis.call('HDEL', KEYS[2], old[i])
    redis.call('HDEL', KEYS[3], old[i])
  end
end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
return excess`;

/**
 * The operations every replica has executed, in Redis: a sorted set of keys by last-seen time,
 * a hash of their descriptions (JSON) and a hash of their counts, trimmed to `maxOperations`
 * and expiring `ttlSeconds` after the last write. A request never waits on Redis: `record`
 * adds to a pending batch (at most `maxOperations` distinct entries, later ones dropped until
 * the next write), written every `flushIntervalMs` in one pipeline; a failed write is logged
 * and the batch dropped (the record is a report, not a ledger).
 */
export function createRedisOperationStore(options: RedisOperationStoreOptions): OperationStore {
  const { redis, maxOperations, logger } = options;
  const keys = operationKeys(options.keyPrefix);
  let pending = new Map<string, { sighting: OperationSighting; count: number }>();
  let dropped = 0;

  const flush = async (): Promise<void> => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const lost = dropped;
    dropped = 0;
    const pipeline = redis.pipeline();
    for (const [key, { sighting, count }] of batch) {
      const { seenAt, ...description } = sighting;
      pipeline.zadd(keys.seen, seenAt, key);
      pipeline.hset(keys.info, key, JSON.stringify(description));
      pipeline.hincrby(keys.counts, key, count);
    }
    pipeline.eval(TRIM, 3, keys.seen, keys.info, keys.counts, maxOperations, options.ttlSeconds);
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
      if (lost > 0)
        logger.warn(
          { dropped: lost },
          'operation recording: more distinct operations than operationRecording.maxOperations between two writes; some were not recorded',
        );
    } catch (error) {
      logger.warn({ err: error, operations: batch.size }, 'operation recording: could not write to Redis; this batch is lost');
    }
  };

  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    writing = writing.then(flush);
  }, options.flushIntervalMs);
  timer.unref();

  return {
    record(sighting) {
      const key = keyOf(sighting);
      const known = pending.get(key);
      if (known) {
        known.count += 1;
        known.sighting = sighting;
      } else if (pending.size < maxOperations) pending.set(key, { sighting, count: 1 });
      else dropped += 1;
    },
    async list() {
      await (writing = writing.then(flush));
      const newest = await redis.zrevrange(keys.seen, 0, maxOperations - 1, 'WITHSCORES');
      const ids: string[] = [];
      const seenAt: number[] = [];
      for (let at = 0; at < newest.length; at += 2) {
        ids.push(newest[at]!);
        seenAt.push(Number(newest[at + 1]));
      }
      if (ids.length === 0) return [];
      const [infos, counts] = await Promise.all([redis.hmget(keys.info, ...ids), redis.hmget(keys.counts, ...ids)]);
      const operations: RecordedOperation[] = [];
      let unreadable = 0;
      ids.forEach((_, index) => {
        const info = infos[index];
        if (!info) return;
        const description = descriptionOf(info);
        if (!description) {
          unreadable += 1;
          return;
        }
        operations.push({ ...description, lastSeen: new Date(seenAt[index]!).toISOString(), count: Number(counts[index] ?? 0) });
      });
      if (unreadable > 0)
        logger.warn({ unreadable, key: keys.info }, 'operation recording: entries in Redis that are not operation descriptions were left out');
      return operations;
    },
    async close() {
      clearInterval(timer);
      await (writing = writing.then(flush));
    },
  };
}

/**
 * A description as `record` wrote it, or null for anything else in its hash field: Redis is
 * written by every replica (an older one may have written another shape) and by whoever can
 * reach it, and one bad entry must not take the whole listing (and `portico check`) down.
 */
function descriptionOf(info: string): Omit<RecordedOperation, 'lastSeen' | 'count'> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(info);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { hash, operationName, clientName, clientVersion, document } = parsed as Record<string, unknown>;
  if (typeof hash !== 'string' || typeof clientName !== 'string' || typeof clientVersion !== 'string') return null;
  if ((operationName !== null && typeof operationName !== 'string') || (document !== null && typeof document !== 'string')) return null;
  return { hash, operationName, clientName, clientVersion, document };
}
