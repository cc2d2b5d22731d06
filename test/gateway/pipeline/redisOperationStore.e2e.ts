import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/createLogger.js';
import { createRedisOperationStore, operationKeys } from '../../../gateway/pipeline/operationRecording/createRedisOperationStore.js';
import { OTHER_CLIENTS, type OperationSighting, type OperationStore } from '../../../gateway/pipeline/operationRecording/RecordedOperation.js';
import { startRedis, type RunningRedis } from '../../support/startRedis.js';

// The Redis operation store against a real redis-server: its write script folds client names
// past the cap and evicts the least used, across replicas (stores) sharing one record.

let redis: RunningRedis;
let client: Redis;
const stores: OperationStore[] = [];
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  client?.disconnect();
  await redis?.stop();
});

const logger = createLogger({ name: 'redis-operation-store-test', level: 'silent' });

// Replicas of one record: each `list()` writes what that store has pending first.
function replicas(count: number, maxOperations: number, maxClientsPerOperation: number): { keyPrefix: string; stores: OperationStore[] } {
  prefixes += 1;
  const keyPrefix = `store-${prefixes}:`;
  const made = Array.from({ length: count }, () =>
    createRedisOperationStore({ redis: client, keyPrefix, maxOperations, maxClientsPerOperation, ttlSeconds: 600, flushIntervalMs: 60_000, logger }),
  );
  stores.push(...made);
  return { keyPrefix, stores: made };
}

let clock = Date.UTC(2026, 0, 1);
const sighting = (overrides: Partial<OperationSighting>): OperationSighting => ({
  hash: 'h',
  operationName: null,
  clientName: '',
  clientVersion: '',
  document: '{ __typename }',
  seenAt: (clock += 1000),
  ...overrides,
});

describe('the Redis operation store', () => {
  it('keeps an operation run repeatedly through a flood of one-shot documents, and its text', async () => {
    const {
      stores: [store],
    } = replicas(1, 3, 20);
    const ios = () => store!.record(sighting({ hash: 'ios', operationName: 'IosReviews', clientName: 'ios', document: '{ ios }' }));
    ios();
    ios();
    await store!.list();
    // Written in several batches, as a flood across flushes is (a batch holds at most maxOperations).
    for (let index = 0; index < 40; index += 1) {
      store!.record(sighting({ hash: `flood${index}`, document: `{ flood${index} }` }));
      if (index % 3 === 2) await store!.list();
    }
    const listed = await store!.list();
    expect(listed.map((operation) => [operation.hash, operation.document, operation.count])).toEqual([
      ['flood39', '{ flood39 }', 1],
      ['flood38', '{ flood38 }', 1],
      ['ios', '{ ios }', 2],
    ]);
  });

  it('evicts the least used first, the least recently seen among equals', async () => {
    const {
      stores: [store],
    } = replicas(1, 3, 20);
    for (const hash of ['a', 'a', 'a', 'b', 'b', 'c', 'c']) store!.record(sighting({ hash }));
    await store!.list();
    store!.record(sighting({ hash: 'd' }));
    expect((await store!.list()).map((operation) => `${operation.hash}×${operation.count}`)).toEqual(['d×1', 'c×2', 'a×3']);
    store!.record(sighting({ hash: 'e' }));
    expect((await store!.list()).map((operation) => `${operation.hash}×${operation.count}`)).toEqual(['e×1', 'c×2', 'a×3']);
  });

  it('counts clients past maxClientsPerOperation, across replicas, in one record of their operation', async () => {
    const {
      keyPrefix,
      stores: [one, two],
    } = replicas(2, 5, 2);
    one!.record(sighting({ hash: 'ios', operationName: 'IosReviews', clientName: 'ios', clientVersion: '2.0' }));
    one!.record(sighting({ hash: 'ios', operationName: 'IosReviews', clientName: 'ios', clientVersion: '2.0' }));
    // Each replica alone would let two junk clients through: Redis holds the cap for both.
    for (let index = 0; index < 1020; index += 1) (index % 2 ? one : two)!.record(sighting({ hash: 'typename', clientName: `junk-${index}` }));
    two!.record(sighting({ hash: 'ios', operationName: 'IosReviews', clientName: OTHER_CLIENTS }));
    await two!.list();
    const listed = await one!.list();
    expect(listed).toHaveLength(5);
    const byKey = Object.fromEntries(listed.map((operation) => [`${operation.hash}/${operation.clientName}`, operation]));
    expect(byKey['ios/ios']?.count).toBe(2);
    expect(listed.filter((operation) => operation.hash === 'typename' && !operation.otherClients)).toHaveLength(2);
    expect(byKey[`typename/${OTHER_CLIENTS}`]).toMatchObject({ clientVersion: '', otherClients: true, count: 1018 });
    // A client that calls itself the folded record's name is a client like any other.
    expect(byKey[`ios/${OTHER_CLIENTS}`]?.otherClients).toBeUndefined();
    const keys = operationKeys(keyPrefix);
    expect(await client.hgetall(keys.clients)).toEqual({ 'ios\nIosReviews': '2', 'typename\n': '2' });
    for (const key of Object.values(keys)) expect(await client.ttl(key)).toBeGreaterThan(0);
  });

  it('gives an evicted client its slot back', async () => {
    const {
      stores: [store],
    } = replicas(1, 2, 1);
    store!.record(sighting({ hash: 'a', clientName: 'first' }));
    store!.record(sighting({ hash: 'b', clientName: 'other' }));
    store!.record(sighting({ hash: 'b', clientName: 'other' }));
    await store!.list();
    store!.record(sighting({ hash: 'c', clientName: 'x' }));
    await store!.list();
    store!.record(sighting({ hash: 'a', clientName: 'second' }));
    expect((await store!.list()).map((operation) => `${operation.hash}/${operation.clientName}`).sort()).toEqual(['a/second', 'b/other']);
  });
});
