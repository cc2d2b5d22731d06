import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../common/createLogger.js';
import { closeRedisClient, createRedisClient } from '../../gateway/traffic/createRedisClient.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';

// A real redis-server. ioredis ends a connection for good when a connect attempt is cut short
// (Sentinel's failover detector does it during a failover: redisSentinel.e2e.ts); the gateway's
// client must come back from that, and only a close on purpose may leave it ended.
let redis: RunningRedis;
const logger = createLogger({ name: 'test-redis-client', level: 'silent' });

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('createRedisClient', () => {
  it('connects again after ioredis has given the connection up (status end), and serves commands', async () => {
    const client = createRedisClient(redis.url, logger, 250);
    try {
      await vi.waitFor(() => expect(client.status).toBe('ready'), { timeout: 10_000 });
      // What ioredis does when its connect is cut short: the connection ends, with no retry of its own.
      client.disconnect();
      await vi.waitFor(() => expect(client.status).toBe('end'));
      await vi.waitFor(() => expect(client.status).toBe('ready'), { timeout: 10_000 });
      expect(await client.set('portico:reconnected', '1')).toBe('OK');
    } finally {
      await closeRedisClient(client);
    }
  });

  it('stays closed once closed on purpose', async () => {
    const client = createRedisClient(redis.url, logger, 250);
    await vi.waitFor(() => expect(client.status).toBe('ready'), { timeout: 10_000 });
    await closeRedisClient(client);
    await vi.waitFor(() => expect(client.status).toBe('end'));
    // Past the longest retry delay (2 s), nothing has connected it again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(client.status).toBe('end');
  });
});
