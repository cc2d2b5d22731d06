import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemoBackends, type DemoBackends } from '../support/startDemoBackends.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { startSubgraphs, testSigningSecret, type RunningSubgraphs } from '../support/startSubgraphs.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';

// /ready's optional checks against what production runs: subgraphs that refuse unsigned
// requests, and a real Redis that goes away and comes back.
let backends: DemoBackends;
let subgraphs: RunningSubgraphs;
let redis: RunningRedis;
const dir = mkdtempSync(join(tmpdir(), 'portico-ready-checks-'));
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  backends = await startDemoBackends();
  subgraphs = await startSubgraphs(backends, { requireSignature: true });
  redis = await startRedis();
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await subgraphs?.close();
  await backends?.close();
  await redis?.stop();
});

async function gatewayWith(name: string, config: Record<string, unknown>, subgraphUrls: Record<string, string> = subgraphs.urls): Promise<RunningGateway> {
  const gateway = await startGateway(dir, name, {
    mode: 'production',
    supergraph: { path: resolve('schema/supergraph.graphql') },
    subgraphSigning: { secret: testSigningSecret },
    subgraphs: Object.fromEntries(Object.entries(subgraphUrls).map(([subgraph, url]) => [subgraph, { url }])),
    ...config,
  });
  gateways.push(gateway);
  return gateway;
}

async function ready(gateway: RunningGateway): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.origin}/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// Nothing listens on port 9 (discard) of loopback: the connection is refused.
const dead = 'http://127.0.0.1:9/graphql';

describe('/ready with readyChecksSubgraphs', () => {
  it('passes against subgraphs that require signed requests: the probe is signed like every subgraph call', async () => {
    const gateway = await gatewayWith('signed-probe', { server: { readyChecksSubgraphs: true } });
    expect(await ready(gateway)).toEqual({ status: 200, body: { status: 'pass' } });
  });

  it('is refused by a subgraph that checks signatures with another secret', async () => {
    const gateway = await gatewayWith('wrong-secret', { server: { readyChecksSubgraphs: true }, subgraphSigning: { secret: 'another-secret-0123456789' } });
    expect(await ready(gateway)).toMatchObject({
      status: 503,
      body: { status: 'fail', reason: 'subgraphs not reachable: accounts, inventory, products, reviews' },
    });
  });

  it('with "any", stays ready while one subgraph answers, and fails once none does', async () => {
    const someDown = await gatewayWith('any-some', { server: { readyChecksSubgraphs: 'any' } }, { ...subgraphs.urls, reviews: dead, inventory: dead });
    expect(await ready(someDown)).toEqual({ status: 200, body: { status: 'pass' } });
    const allDown = await gatewayWith(
      'any-none',
      { server: { readyChecksSubgraphs: 'any' } },
      { accounts: dead, products: dead, inventory: dead, reviews: dead },
    );
    expect(await ready(allDown)).toMatchObject({
      status: 503,
      body: { status: 'fail', reason: 'subgraphs not reachable: accounts, inventory, products, reviews' },
    });
    // Liveness is the process's own.
    expect((await fetch(`${allDown.origin}/health`)).status).toBe(200);
  });
});

describe('/ready with readyChecksRedis', () => {
  it('fails while Redis does not answer and passes again once it does; /health passes throughout', async () => {
    const gateway = await gatewayWith('redis-check', {
      server: { readyChecksRedis: true },
      redis: { url: redis.url },
      rateLimit: { store: 'redis', onStoreError: 'closed' },
    });
    expect(await ready(gateway)).toEqual({ status: 200, body: { status: 'pass' } });
    await redis.stop();
    try {
      await vi.waitFor(async () => expect(await ready(gateway)).toMatchObject({ status: 503, body: { status: 'fail', reason: 'Redis not reachable' } }), {
        timeout: 5000,
      });
      expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
    } finally {
      await redis.start();
    }
    await vi.waitFor(async () => expect(await ready(gateway)).toEqual({ status: 200, body: { status: 'pass' } }), { timeout: 8000, interval: 200 });
  });

  it('is not asked without the option: a gateway failing open still serves without Redis', async () => {
    const gateway = await gatewayWith('redis-no-check', { redis: { url: redis.url }, rateLimit: { store: 'redis' } });
    expect(await ready(gateway)).toEqual({ status: 200, body: { status: 'pass' } });
  });
});
