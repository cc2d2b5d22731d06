import type { Logger } from '../../../common/createLogger.js';
import type { RedisClient } from '../../traffic/createRedisClient.js';
import { asOtherClients, countedAs, type OperationSighting, type OperationStore, type RecordedOperation } from './RecordedOperation.js';
import { WRITE_OPERATIONS } from './writeOperationsScript.js';

export interface RedisOperationStoreOptions {
  redis: RedisClient;
  /** `redis.keyPrefix`. */
  keyPrefix: string;
  maxOperations: number;
  maxClientsPerOperation: number;
  ttlSeconds: number;
  flushIntervalMs: number;
  logger: Logger;
}

/** The five keys (see `WRITE_OPERATIONS`), in one hash slot (the `{operations}` tag) so that a Redis Cluster can run the script. */
export function operationKeys(keyPrefix: string): { seen: string; info: string; counts: string; rank: string; clients: string } {
  const base = `${keyPrefix}{operations}`;
  return { seen: `${base}:seen`, info: `${base}:info`, counts: `${base}:counts`, rank: `${base}:rank`, clients: `${base}:clients` };
}

/**
 * The operations every replica has executed, in Redis (see `WRITE_OPERATIONS` for the keys),
 * kept as the in-memory store keeps them: at most `maxOperations`, the least used going first,
 * and at most `maxClientsPerOperation` client names and versions per operation, across
 * replicas; expiring `ttlSeconds` after the last write. A request never waits on Redis:
 * `record` adds to a pending batch (at most `maxOperations` distinct entries, folded per
 * operation as Redis folds them, later ones dropped until the next write), written every
 * `flushIntervalMs` by one script; a failed write is logged and the batch dropped (the record
 * is a report, not a ledger).
 */
export function createRedisOperationStore(options: RedisOperationStoreOptions): OperationStore {
  const { redis, maxOperations, maxClientsPerOperation, logger } = options;
  const keys = operationKeys(options.keyPrefix);
  let pending = new Map<string, { sighting: OperationSighting; count: number }>();
  let pendingClients = new Map<string, number>();
  let dropped = 0;

  const flush = async (): Promise<void> => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    pendingClients = new Map();
    const lost = dropped;
    dropped = 0;
    const entries: Array<string | number> = [];
    for (const [key, { sighting, count }] of batch) {
      const { seenAt, ...description } = sighting;
      const { seenAt: _, ...folded } = asOtherClients(sighting);
      entries.push(key, seenAt, count, JSON.stringify(description), JSON.stringify(folded));
    }
    try {
      await redis.eval(
        WRITE_OPERATIONS,
        5,
        keys.seen,
        keys.info,
        keys.counts,
        keys.rank,
        keys.clients,
        maxOperations,
        options.ttlSeconds,
        maxClientsPerOperation,
        ...entries,
      );
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
    record(seen) {
      // Folded here as Redis folds them, so that client-name variants of one document cannot fill the batch.
      const { sighting, key, operation } = countedAs(
        seen,
        (counted) => pending.has(counted),
        (of) => pendingClients.get(of) ?? 0,
        maxClientsPerOperation,
      );
      const known = pending.get(key);
      if (known) {
        known.count += 1;
        known.sighting = sighting;
      } else if (pending.size < maxOperations) {
        pending.set(key, { sighting, count: 1 });
        if (!sighting.otherClients) pendingClients.set(operation, (pendingClients.get(operation) ?? 0) + 1);
      } else dropped += 1;
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
  const { hash, operationName, clientName, clientVersion, document, otherClients } = parsed as Record<string, unknown>;
  if (typeof hash !== 'string' || typeof clientName !== 'string' || typeof clientVersion !== 'string') return null;
  if ((operationName !== null && typeof operationName !== 'string') || (document !== null && typeof document !== 'string')) return null;
  return { hash, operationName, clientName, clientVersion, document, ...(otherClients === true ? { otherClients } : {}) };
}
