import { describe, expect, it, vi } from 'vitest';
import { createReadiness } from '../../gateway/health/createReadiness.js';
import type { SubgraphProbeResult } from '../../gateway/health/createSubgraphProbe.js';

const states = (...entries: Array<[string, string]>): SubgraphProbeResult[] =>
  entries.map(([name, state]) => ({ name, url: `http://${name}.internal/graphql`, state }));

function loaded(options: Parameters<typeof createReadiness>[0]) {
  const readiness = createReadiness(options);
  readiness.markLoaded();
  return readiness;
}

describe('createReadiness', () => {
  it('with subgraphsNeeded "any", is ready while one subgraph answers and not once none does', async () => {
    let results = states(['products', 'reachable'], ['reviews', 'unreachable (ECONNREFUSED)']);
    const readiness = loaded({ probeSubgraphs: async () => results, subgraphsNeeded: 'any' });
    expect(await readiness.check()).toEqual({ ready: true });
    results = states(['products', 'no answer within 2000 ms'], ['reviews', 'unreachable (ECONNREFUSED)']);
    expect(await readiness.check()).toEqual({ ready: false, reason: 'subgraphs not reachable: products, reviews' });
  });

  it('by default needs every subgraph', async () => {
    const readiness = loaded({ probeSubgraphs: async () => states(['products', 'reachable'], ['reviews', 'unreachable']) });
    expect(await readiness.check()).toEqual({ ready: false, reason: 'subgraphs not reachable: reviews' });
  });

  it('fails while Redis does not answer, before asking the subgraphs, and names no address', async () => {
    const probeSubgraphs = vi.fn(async () => states(['products', 'reachable']));
    let redis = 'unreachable';
    const readiness = loaded({ probeRedis: async () => redis, probeSubgraphs });
    expect(await readiness.check()).toEqual({ ready: false, reason: 'Redis not reachable' });
    expect(probeSubgraphs).not.toHaveBeenCalled();
    redis = 'reachable';
    expect(await readiness.check()).toEqual({ ready: true });
  });

  it("shows Redis's state in the details where details are shown", async () => {
    const readiness = loaded({ probeRedis: async () => 'no answer within 2000 ms', showDetails: true });
    expect(await readiness.check()).toEqual({ ready: false, reason: 'Redis not reachable', details: { redis: 'no answer within 2000 ms' } });
  });

  it('asks Redis once for concurrent checks', async () => {
    const probeRedis = vi.fn(async () => 'reachable');
    const readiness = loaded({ probeRedis });
    await Promise.all([readiness.check(), readiness.check(), readiness.check()]);
    expect(probeRedis).toHaveBeenCalledTimes(1);
  });

  it('asks nothing while draining or before the supergraph is loaded', async () => {
    const probeRedis = vi.fn(async () => 'reachable');
    const readiness = createReadiness({ probeRedis });
    expect(await readiness.check()).toEqual({ ready: false, reason: 'the supergraph is not loaded yet' });
    readiness.markLoaded();
    readiness.markDraining();
    expect(await readiness.check()).toEqual({ ready: false, reason: 'the gateway is shutting down' });
    expect(probeRedis).not.toHaveBeenCalled();
  });
});
