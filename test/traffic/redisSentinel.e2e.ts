import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { runLoad } from '../support/runLoad.js';
import { startRedisSentinel, type RunningSentinel } from '../support/startRedisSentinel.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

// Real Redis processes: a primary, its replica and a sentinel. The gateway finds the primary
// through Sentinel (redis.url: redis+sentinel://…) and follows it when the primary dies.
let sentinel: RunningSentinel;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  sentinel = await startRedisSentinel();
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await sentinel?.close();
});

async function gatewayWith(rateLimit: Record<string, unknown>, keyPrefix: string): Promise<RunningGateway> {
  const gateway = await startTrafficGateway({ redis: { url: sentinel.url, keyPrefix }, rateLimit: { store: 'redis', ...rateLimit } });
  gateways.push(gateway);
  return gateway;
}

async function roleOf(port: number): Promise<string | undefined> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    return /^role:(\w+)/m.exec(await client.info('replication'))?.[1];
  } finally {
    client.disconnect();
  }
}

const ping = { query: '{ __typename }' };

/** The port of the primary the sentinel names now. */
async function primaryNamedBySentinel(): Promise<number | undefined> {
  const url = new URL(sentinel.url);
  const client = new Redis({ port: Number(url.port), host: url.hostname, lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    const address = (await client.call('SENTINEL', 'get-master-addr-by-name', url.pathname.slice(1))) as [string, string] | null;
    return address ? Number(address[1]) : undefined;
  } finally {
    client.disconnect();
  }
}

/** What the gateway logged about its Redis connection, for a failure's message. */
function redisLog(gateway: RunningGateway): unknown[] {
  return gateway.logs.filter((line) => /redis/i.test(String(line.msg))).slice(-6);
}

function lastStatus(replies: { reply: Error | { status: number } }[]): string {
  const last = replies.at(-1)?.reply;
  return last === undefined ? 'none' : last instanceof Error ? last.message : String(last.status);
}

describe('Redis through Sentinel', () => {
  it('shares one limit between two replicas that found the primary through Sentinel', async () => {
    // 429s answered at once: the point is the shared count, not the hold.
    const options = { default: { windowSeconds: 60, limit: 3 }, perAddress: { holdRefusalsMs: 0 } };
    const [a, b] = [await gatewayWith(options, 's1:'), await gatewayWith(options, 's1:')];
    expect([(await send(a, ping)).status, (await send(b, ping)).status, (await send(a, ping)).status]).toEqual([200, 200, 200]);
    expect((await send(b, ping)).status).toBe(429);
  });

  it('follows a failover under load: refuses (fail closed) while there is no primary, counts again once the replica is promoted', async () => {
    const gateway = await gatewayWith({ onStoreError: 'closed', default: { windowSeconds: 60, limit: 1_000_000 } }, 's2:');
    let phase = 'before';
    let servingAgainAfterMs = 0;
    // Paced (at most 600 requests a second): refusals take well under a millisecond, and an
    // unpaced run reached its bound during a slow failover on a busy CI machine.
    const load = runLoad({ concurrency: 3, maxRequests: 100_000, minIntervalMs: 5, phase: () => phase, send: () => send(gateway, ping) });
    try {
      await vi.waitFor(() => expect(load.count('before')).toBeGreaterThan(20), { timeout: 10_000 });
      phase = 'failover';
      const killedAt = Date.now();
      await sentinel.killPrimary();
      await vi.waitFor(async () => expect(await roleOf(sentinel.replicaPort)).toBe('master'), { timeout: 20_000, interval: 200 });
      // The gateway learns of the new primary from Sentinel and counts there again.
      await vi.waitFor(
        () =>
          expect(
            load.replies.filter((reply) => reply.phase === 'failover' && !(reply.reply instanceof Error) && reply.reply.status === 200).length,
            `no request served since the failover (${load.replies.length} sent in all; last: ${lastStatus(load.replies)}; the gateway's Redis log: ${JSON.stringify(redisLog(gateway))})`,
          ).toBeGreaterThan(0),
        { timeout: 20_000 },
      );
      servingAgainAfterMs = Date.now() - killedAt;
      // Sentinel announces the new primary (`+switch-master`) once its failover is done, which can
      // be after the gateway's client found the promoted replica by asking it; the client then
      // connects once more, and requests meanwhile are refused by the policy. Steady service is
      // asked of the gateway from when Sentinel names the new primary and it has served again.
      await vi.waitFor(async () => expect(await primaryNamedBySentinel()).toBe(sentinel.replicaPort), { timeout: 20_000, interval: 200 });
      phase = 'switched';
      await vi.waitFor(
        () =>
          expect(
            load.replies.filter((reply) => reply.phase === 'switched' && !(reply.reply instanceof Error) && reply.reply.status === 200).length,
          ).toBeGreaterThan(10),
        { timeout: 20_000 },
      );
      phase = 'after';
      await vi.waitFor(() => expect(load.count('after')).toBeGreaterThan(30), { timeout: 15_000 });
    } finally {
      phase = 'done';
      await load.stop();
    }
    // Requests sent in a phase and answered in it.
    const statuses = (which: string) =>
      load.replies
        .filter((reply) => reply.phase === which && reply.answeredIn === which)
        .map(({ reply }) => (reply instanceof Error ? reply.message : reply.status));
    // Never an error of the gateway's own, never a hang: served, or refused with 503 by the policy.
    for (const reply of load.replies) {
      if (reply.reply instanceof Error) throw reply.reply;
      expect([200, 503]).toContain(reply.reply.status);
      if (reply.reply.status === 503) expect(reply.reply.errors?.[0]?.extensions?.code).toBe('SERVICE_NOT_READY');
    }
    expect(new Set(statuses('before'))).toEqual(new Set([200]));
    expect(new Set(statuses('after'))).toEqual(new Set([200]));
    const refused = statuses('failover').filter((status) => status === 503).length;
    console.info(
      `[sentinel] failover under load: ${statuses('failover').length} requests while it ran, ${refused} refused (fail closed); serving again ${servingAgainAfterMs} ms after the primary died`,
    );
    // Counted on the new primary: what the limiter wrote after the failover is there.
    const promoted = new Redis({ port: sentinel.replicaPort, host: '127.0.0.1' });
    try {
      expect((await promoted.keys('s2:*')).length).toBeGreaterThan(0);
    } finally {
      promoted.disconnect();
    }
  }, 90_000);
});

describe('redis.url for Sentinel', () => {
  it('is refused at start, naming the key, when it does not parse', async () => {
    await expect(startTrafficGateway({ redis: { url: 'redis+sentinel://127.0.0.1/portico' }, rateLimit: { store: 'redis' } })).rejects.toThrow(
      /redis\.url: sentinel address "127\.0\.0\.1" is not host:port/,
    );
  });
});
