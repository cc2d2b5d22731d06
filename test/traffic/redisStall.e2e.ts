import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

// A real redis-server that keeps its connections open but stops answering (`CLIENT PAUSE`): no
// drop the Redis client would notice, so only a deadline per command keeps requests moving.
let redis: RunningRedis;
let open: RunningGateway;
let closed: RunningGateway;
const PAUSE_MS = 5_000;
// Each of a request's few Redis lookups waits at most `redis.commandTimeoutMs` (250 ms); well under the pause.
const BOUND_MS = 2_000;

const ping = { query: '{ __typename }' };
const query = 'query Stalled { __typename }';
const hashOnly = { extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } } };

beforeAll(async () => {
  redis = await startRedis();
  const config = (keyPrefix: string, onStoreError: string) => ({
    redis: { url: redis.url, keyPrefix },
    rateLimit: { store: 'redis', onStoreError },
    persistedQueries: { store: 'redis' },
  });
  [open, closed] = await Promise.all([startTrafficGateway(config('open:', 'open')), startTrafficGateway(config('closed:', 'closed'))]);
  expect((await send(open, ping)).status).toBe(200);
  expect((await send(closed, ping)).status).toBe(200);
});
afterAll(async () => {
  await Promise.all([open?.stop(), closed?.stop()]);
  await redis?.stop();
});

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const startedAt = performance.now();
  const result = await work;
  return { result, ms: performance.now() - startedAt };
}

describe('a Redis that stops answering', () => {
  it('costs each request a bounded wait, then follows rateLimit.onStoreError; an APQ lookup is a miss', async () => {
    const admin = new Redis(redis.url);
    try {
      await admin.call('CLIENT', 'PAUSE', String(PAUSE_MS), 'ALL');
    } finally {
      admin.disconnect();
    }
    const [letThrough, refused, miss] = await Promise.all([timed(send(open, ping)), timed(send(closed, ping)), timed(send(open, hashOnly))]);
    expect(letThrough.ms).toBeLessThan(BOUND_MS);
    expect(letThrough.result.status).toBe(200);
    expect(open.logs.some((line) => String(line.msg).includes('rate limit store unreachable'))).toBe(true);

    expect(refused.ms).toBeLessThan(BOUND_MS);
    expect(refused.result.status).toBe(503);
    expect(refused.result.errors?.[0]?.extensions?.code).toBe('SERVICE_NOT_READY');

    expect(miss.ms).toBeLessThan(BOUND_MS);
    expect(miss.result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(open.logs.some((line) => String(line.msg).includes('APQ store unreachable'))).toBe(true);

    // Redis answering again, the limits are counted again.
    await vi.waitFor(async () => expect((await send(closed, ping)).status).toBe(200), { timeout: PAUSE_MS + 5_000, interval: 200 });
  });
});
