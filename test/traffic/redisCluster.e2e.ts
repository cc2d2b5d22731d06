import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { startRedisCluster, type RunningCluster } from '../support/startRedisCluster.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

// A real Redis Cluster of three primaries: keys of one client and one document land on
// whichever node owns their slot, and two gateway replicas still share them.
let cluster: RunningCluster;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await cluster?.close();
});

async function replica(config: Record<string, unknown>): Promise<RunningGateway> {
  const gateway = await startTrafficGateway({ redis: { url: cluster.url, keyPrefix: 'c:' }, ...config });
  gateways.push(gateway);
  return gateway;
}

describe('Redis Cluster (redis.url: redis+cluster://…)', () => {
  it('shares rate limits and APQ documents between two replicas', async () => {
    // 429s answered at once: the point is the shared count, not the hold.
    const config = {
      rateLimit: { store: 'redis', default: { windowSeconds: 60, limit: 4 }, perAddress: { holdRefusalsMs: 0 } },
      persistedQueries: { store: 'redis' },
    };
    const [a, b] = [await replica(config), await replica(config)];
    const query = '{ __typename }';
    const persisted = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    expect((await send(a, { query, extensions: persisted })).data).toEqual({ __typename: 'Query' });
    expect((await send(b, { extensions: persisted })).data).toEqual({ __typename: 'Query' });
    expect([(await send(a, { query })).status, (await send(b, { query })).status]).toEqual([200, 200]);
    // Four operations counted across both replicas: the fifth is refused, wherever it arrives.
    const refused = await send(b, { query });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
