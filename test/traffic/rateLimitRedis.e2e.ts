import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

// Real redis-server processes: one shared by replicas, one that is stopped under a gateway.
let redis: RunningRedis;
const gateways: RunningGateway[] = [];
let prefix = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await redis?.stop();
});

// The per-client rules' 429s at once (not held), unless a test sets perAddress itself: the hold is tested elsewhere.
async function replica(url: string, rateLimit: Record<string, unknown>, keyPrefix: string): Promise<RunningGateway> {
  const started = await startTrafficGateway({ redis: { url, keyPrefix }, rateLimit: { store: 'redis', perAddress: { holdRefusalsMs: 0 }, ...rateLimit } });
  gateways.push(started);
  return started;
}

const ping = { query: '{ __typename }' };

describe('rate limiting in Redis', () => {
  it('shares one limit between two gateway replicas', async () => {
    prefix += 1;
    const options = { default: { windowSeconds: 60, limit: 3 } };
    const [a, b] = [await replica(redis.url, options, `t${prefix}:`), await replica(redis.url, options, `t${prefix}:`)];
    expect((await send(a, ping)).status).toBe(200);
    expect((await send(b, ping)).status).toBe(200);
    const third = await send(a, ping);
    expect(third.status).toBe(200);
    expect(third.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
    expect((await send(b, ping)).status).toBe(429);
    expect((await send(a, ping)).status).toBe(429);
  });

  it('paces a client across replicas by the shared count (rateLimit.pace)', async () => {
    prefix += 1;
    // 4 per 20 s, one at once: the second operation's turn is 5 s after the window's start.
    const options = { default: { windowSeconds: 20, limit: 4 }, pace: { maxDelayMs: 1000, burstPercent: 1 } };
    const [a, b] = [await replica(redis.url, options, `t${prefix}:`), await replica(redis.url, options, `t${prefix}:`)];
    expect((await send(a, ping)).status).toBe(200);
    const refused = await send(b, ping);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.message).toContain('ahead of its pace');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(5);
  });

  it("shares an address's new-document and body-bytes budgets between replicas", async () => {
    prefix += 1;
    const options = {
      perAddress: { holdRefusalsMs: 0, newDocuments: { windowSeconds: 60, limit: 3 }, bodyBytes: { windowSeconds: 60, limit: 1_048_576 } },
    };
    const [a, b] = [await replica(redis.url, options, `t${prefix}:`), await replica(redis.url, options, `t${prefix}:`)];
    // Each replica knows what it accepted itself: a document new to both counts on each.
    expect((await send(a, { query: '{ one: __typename }' })).status).toBe(200);
    expect((await send(b, { query: '{ one: __typename }' })).status).toBe(200);
    expect((await send(a, { query: '{ one: __typename }' })).status).toBe(200);
    expect((await send(b, { query: '{ two: __typename }' })).status).toBe(200);
    const refused = await send(a, { query: '{ three: __typename }' });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'newDocuments' });
    // 600 KB from each replica: the second is past the shared 1 MiB, refused before it is read.
    const large = { query: '{ one: __typename }', extensions: { pad: 'x'.repeat(600_000) } };
    expect((await send(b, large)).status).not.toBe(429);
    const over = await send(a, large);
    expect(over.status).toBe(429);
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'bodyBytes' });
  });

  it('knows the API keys whose SHA-256 is in the set <prefix>apikeys, and no others', async () => {
    prefix += 1;
    const keyPrefix = `t${prefix}:`;
    const issued = 'issued-in-redis-0123456789';
    const client = new Redis(redis.url);
    try {
      await client.sadd(`${keyPrefix}apikeys`, createHash('sha256').update(issued).digest('hex'));
    } finally {
      client.disconnect();
    }
    const gw = await replica(redis.url, { default: { windowSeconds: 60, limit: 1 } }, keyPrefix);
    expect((await send(gw, ping, { 'x-api-key': issued })).status).toBe(200);
    // Invented keys are the address: the first one gets its one operation, the next none.
    expect((await send(gw, ping, { 'x-api-key': 'invented-a' })).status).toBe(200);
    expect((await send(gw, ping, { 'x-api-key': 'invented-b' })).status).toBe(429);
    expect((await send(gw, ping, { 'x-api-key': issued })).status).toBe(429);
  });

  it('shares the per-address limit between replicas, whatever the keys', async () => {
    prefix += 1;
    const options = { perAddress: { windowSeconds: 60, limit: 3 } };
    const [a, b] = [await replica(redis.url, options, `t${prefix}:`), await replica(redis.url, options, `t${prefix}:`)];
    expect((await send(a, ping)).status).toBe(200);
    expect((await send(b, { query: '{ nope' }, { accept: 'application/graphql-response+json' })).status).toBe(400);
    expect((await send(a, ping, { 'x-api-key': 'anything' })).status).toBe(200);
    const refused = await send(b, ping);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'address' });
  });

  it('lets the client in again once the window has passed', async () => {
    prefix += 1;
    const gw = await replica(redis.url, { default: { windowSeconds: 1, limit: 1 } }, `t${prefix}:`);
    expect((await send(gw, ping)).status).toBe(200);
    const refused = await send(gw, ping);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    // Waiting is the point of this test, not a measurement: the window is one second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await send(gw, ping)).status).toBe(200);
  });
});

describe('when Redis stops', () => {
  let own: RunningRedis;
  let open: RunningGateway;
  let closed: RunningGateway;

  beforeAll(async () => {
    own = await startRedis();
    open = await replica(own.url, { default: { windowSeconds: 60, limit: 2 } }, 'open:');
    closed = await replica(own.url, { default: { windowSeconds: 60, limit: 2 }, onStoreError: 'closed' }, 'closed:');
    expect((await send(open, ping)).status).toBe(200);
    expect((await send(closed, ping)).status).toBe(200);
    await own.stop();
  });
  afterAll(async () => {
    await own?.stop();
  });

  it('fails open by default: requests run and a warning is logged', async () => {
    for (let i = 0; i < 4; i += 1) expect((await send(open, ping)).status).toBe(200);
    expect(open.logs.some((line) => String(line.msg).includes('rate limit store unreachable'))).toBe(true);
  });

  it('fails closed when configured: 503 SERVICE_NOT_READY', async () => {
    const refused = await send(closed, ping);
    expect(refused.status).toBe(503);
    expect(refused.errors?.[0]?.extensions?.code).toBe('SERVICE_NOT_READY');
    expect(refused.errors?.[0]?.message).toContain('Rate limiting is unavailable');
  });

  it('enforces the limit again once Redis is back', async () => {
    await own.start();
    // The client reconnects on its own schedule; poll until the shared counter answers again.
    await vi.waitFor(async () => expect((await send(closed, ping)).status).toBe(200), { timeout: 10_000, interval: 200 });
    expect((await send(closed, ping)).status).toBe(200);
    expect((await send(closed, ping)).status).toBe(429);
  });
});
