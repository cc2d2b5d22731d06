import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';

// Apollo Server installs GraphOS usage reporting by itself when APOLLO_KEY and APOLLO_GRAPH_REF
// are in the environment: it would send operations and client names off-site (and its execution
// listener once made every fast-path request answer 500). Portico turns it off explicitly.

let shop: Shop;
let gateway: RunningGateway;
const saved = { key: process.env.APOLLO_KEY, graphRef: process.env.APOLLO_GRAPH_REF };

beforeAll(async () => {
  shop = await startShop();
  process.env.APOLLO_KEY = 'service:portico-test:not-a-real-key';
  process.env.APOLLO_GRAPH_REF = 'portico-test@current';
  gateway = await startGateway(shop.dir, 'graphos', { mode: 'development', supergraph: { path: shop.supergraphPath } }, 'info');
});

afterAll(async () => {
  for (const [name, value] of [
    ['APOLLO_KEY', saved.key],
    ['APOLLO_GRAPH_REF', saved.graphRef],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await gateway?.stop();
  await shop?.stop();
});

describe('GraphOS usage reporting', () => {
  it('stays off with APOLLO_KEY and APOLLO_GRAPH_REF set, and the same request answers 200 each time', async () => {
    expect(gateway.logs.filter((line) => /usage reporting/i.test(String(line.msg)))).toEqual([]);
    const query = JSON.stringify({ query: '{ topProducts(first: 1) { name } }' });
    // Twice: the second is a stored document, which the fast path takes.
    for (let round = 0; round < 2; round += 1) {
      const response = await fetch(`${gateway.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: unknown }).data).toEqual({ topProducts: [{ name: expect.any(String) }] });
    }
  });
});
