import { mkdtempSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import type { QueryPlanner } from '@apollo/query-planner';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';
import { writeSupergraph } from './fixtures/writeSupergraph.js';

// Apollo Gateway constructs its planner as `new require('@apollo/query-planner').QueryPlanner`,
// which reads buildPlan.js's export: replaced there, every construction in the process is seen.
const require = createRequire(import.meta.url);
const buildPlan = require(path.join(path.dirname(require.resolve('@apollo/query-planner')), 'buildPlan.js')) as { QueryPlanner: typeof QueryPlanner };

let shop: Shop;
let gateway: RunningGateway | undefined;
const Original = buildPlan.QueryPlanner;
const built: QueryPlanner[] = [];
const plannedWith = new Set<QueryPlanner>();

beforeAll(async () => {
  shop = await startShop();
  buildPlan.QueryPlanner = class extends Original {
    constructor(...args: ConstructorParameters<typeof QueryPlanner>) {
      super(...args);
      built.push(this);
    }
  };
  const buildQueryPlan = Original.prototype.buildQueryPlan;
  vi.spyOn(Original.prototype, 'buildQueryPlan').mockImplementation(function (this: QueryPlanner, ...args) {
    plannedWith.add(this);
    return buildQueryPlan.apply(this, args);
  });
});

afterAll(async () => {
  buildPlan.QueryPlanner = Original;
  vi.restoreAllMocks();
  await gateway?.stop();
  await shop?.stop();
});

describe('one supergraph state', () => {
  it("builds one query planner and one supergraph per load, Apollo Gateway's, and plans every operation with it", async () => {
    const builds = vi.spyOn(Supergraph, 'build');
    // Routing comes from config, so that a reload can change the supergraph and nothing else.
    const routing = { products: { url: shop.products.url }, reviews: { url: shop.reviews.url } };
    gateway = await startGateway(shop.dir, 'one-planner', {
      mode: 'development',
      subgraphs: routing,
      supergraph: { path: shop.supergraphPath, pollIntervalMs: 20 },
    });
    expect(built).toHaveLength(1);
    expect(builds).toHaveBeenCalledTimes(1);
    const query = { query: '{ topProducts(first: 1) { name reviews { body } } }' };
    expect((await postGraphQL(gateway.origin, query)).body).toEqual({
      data: { topProducts: [{ name: 'Table', reviews: [{ body: 'Love it!' }, { body: 'Too expensive.' }] }] },
    });
    // Booleans: a failing toBe would print the planners' whole graphs.
    expect(plannedWith.size === 1 && plannedWith.has(built[0]!)).toBe(true);

    const moved = writeSupergraph(mkdtempSync(path.join(shop.dir, 'next-')), [
      { ...shop.products, url: 'http://products.invalid/graphql' },
      { ...shop.reviews, url: 'http://reviews.invalid/graphql' },
    ]);
    renameSync(moved, shop.supergraphPath);
    await vi.waitFor(
      async () => {
        const ready = (await (await fetch(`${gateway!.origin}/ready`)).json()) as { details: { supergraph: { reloads: number } } };
        expect(ready.details.supergraph.reloads).toBe(1);
      },
      { timeout: 10_000 },
    );
    expect(built).toHaveLength(2);
    expect(builds).toHaveBeenCalledTimes(2);
    plannedWith.clear();
    expect((await postGraphQL(gateway.origin, { query: '{ topProducts(first: 2) { name } }' })).body).toEqual({
      data: { topProducts: [{ name: 'Table' }, { name: 'Couch' }] },
    });
    expect(plannedWith.size === 1 && plannedWith.has(built[1]!)).toBe(true);
  });
});
