import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

// A real redis-server stopped where it stands (SIGSTOP): the kernel keeps its connections open
// and takes the gateway's commands, and nothing answers; no drop the Redis client would notice,
// so only a deadline per command keeps requests moving. Each request below must be answered
// while Redis is still stopped: without the deadline it waits until Redis runs again (here,
// until the test's own timeout fails it).
let redis: RunningRedis;
let open: RunningGateway;
let closed: RunningGateway;

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
  redis?.thaw();
  await Promise.all([open?.stop(), closed?.stop()]);
  await redis?.stop();
});

describe('a Redis that stops answering', () => {
  it('is waited for a bounded time per command, then rateLimit.onStoreError decides; an APQ lookup is a miss', async () => {
    redis.freeze();
    let letThrough: Awaited<ReturnType<typeof send>>;
    let refused: Awaited<ReturnType<typeof send>>;
    let miss: Awaited<ReturnType<typeof send>>;
    try {
      [letThrough, refused, miss] = await Promise.all([send(open, ping), send(closed, ping), send(open, hashOnly)]);
    } finally {
      redis.thaw();
    }
    expect(letThrough.status).toBe(200);
    expect(open.logs.some((line) => String(line.msg).includes('rate limit store unreachable'))).toBe(true);

    expect(refused.status).toBe(503);
    expect(refused.errors?.[0]?.extensions?.code).toBe('SERVICE_NOT_READY');

    expect(miss.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(open.logs.some((line) => String(line.msg).includes('APQ store unreachable'))).toBe(true);

    // Redis answering again, the limits are counted again.
    await vi.waitFor(async () => expect((await send(closed, ping)).status).toBe(200), { timeout: 10_000, interval: 200 });
  });
});
