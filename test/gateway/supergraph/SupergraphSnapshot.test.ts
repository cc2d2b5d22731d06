import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../gateway/config/ConfigError.js';
import { createPlanCache } from '../../../gateway/execution/createPlanCache.js';
import { servedByApolloGateway } from '../../../gateway/supergraph/servedByApolloGateway.js';
import { buildSupergraphSnapshot } from '../../../gateway/supergraph/SupergraphSnapshot.js';
import { demoSupergraph, snapshotConfig, wireApolloGateway } from './wireApolloGateway.js';

const gateways: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop();
});

async function loaded(subgraphs: Record<string, { url: string }> = {}) {
  const wired = await wireApolloGateway({ sdl: demoSupergraph, subgraphs });
  gateways.push(wired.gateway);
  await wired.gateway.load();
  return wired;
}

describe('buildSupergraphSnapshot', () => {
  it('derives what the gateway serves from what Apollo Gateway loaded, once, frozen', async () => {
    const { gateway, served, swaps } = await loaded();
    const snapshot = served.current();
    expect(swaps.length === 1 && swaps[0] === snapshot).toBe(true);
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(snapshot.planner === gateway.__testing().queryPlanner).toBe(true);
    expect(snapshot.supergraph === snapshot.planner.supergraph).toBe(true);
    expect(snapshot.subgraphs).toEqual([
      { name: 'accounts', url: 'http://localhost:4001/graphql' },
      { name: 'inventory', url: 'http://localhost:4003/graphql' },
      { name: 'products', url: 'http://localhost:4002/graphql' },
      { name: 'reviews', url: 'http://localhost:4004/graphql' },
    ]);
    // Authorization: @authenticated, @requiresScopes and @policy, from the supergraph's directives.
    expect(snapshot.authorizationRules.fields.get('Query.me')).toMatchObject({ authenticated: true });
    expect(snapshot.authorizationRules.fields.get('Mutation.updateProductPrice')).toMatchObject({ scopes: [[['catalog:write']]] });
    expect([...snapshot.authorizationRules.policyNames]).toContain('inventory:staff');
    // Demand control: @cost and @listSize.
    expect(snapshot.costDirectives.weights.get('Product.shippingEstimate')).toBe(5);
    expect(snapshot.costDirectives.listSizes.get('Product.reviews')).toEqual({ assumedSize: 10 });
    // The API schema's own names, and type conditions over the supergraph's types.
    expect(snapshot.apiSchema.getType('Product')).toBeDefined();
    expect(snapshot.typeNames.get('Product')).toBe('Product');
    expect(snapshot.typeNames.has('join__Graph')).toBe(false);
    // The example operations: an open field, never a guarded one.
    expect(snapshot.examples.sandbox).toContain('query Example {\n  users {');
    expect(snapshot.examples.graphiql).toContain('Headers tab below');
    expect(snapshot.examples.sandbox).not.toMatch(/\bme\b/);
  });

  it('applies config URL overrides, and only there', async () => {
    const { served } = await loaded({ reviews: { url: 'http://reviews.override.invalid/graphql' } });
    expect(served.current().subgraphs).toContainEqual({ name: 'reviews', url: 'http://reviews.override.invalid/graphql' });
    expect(served.current().subgraphs).toContainEqual({ name: 'products', url: 'http://localhost:4002/graphql' });
  });

  it('refuses overrides and header rules for subgraphs the supergraph lacks, naming the known ones', async () => {
    const { gateway, served } = await loaded();
    const config = snapshotConfig({ shipping: { url: 'http://shipping.invalid/graphql' } });
    config.headers = { subgraphs: { billing: [] } } as unknown as typeof config.headers;
    const build = () =>
      buildSupergraphSnapshot({ served: servedByApolloGateway(gateway), apiSchema: served.current().apiSchema, config, planCache: createPlanCache(() => {}) });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      'Invalid gateway configuration (2 problems):\n' +
        '  - subgraphs.shipping: no subgraph of that name in schema/supergraph.graphql (known: accounts, inventory, products, reviews)\n' +
        '  - headers.subgraphs.billing: no subgraph of that name in schema/supergraph.graphql (known: accounts, inventory, products, reviews)',
    );
  });

  it('keeps no plan across loads: each snapshot has its own, empty, plan cache', async () => {
    const { manager, gateway, served, replace } = await loaded();
    const first = served.current();
    first.planCache.set('q', { plan: 'cached' } as never);
    replace(demoSupergraph.replace('Every review of this product.', 'Every review of the product.'));
    await vi.waitFor(() => expect(manager.status().reloads).toBe(1), { timeout: 10_000 });
    const second = served.current();
    // Identities compared as booleans: a failing toBe would print the planners' whole graphs.
    expect(second !== first).toBe(true);
    expect(second.planCache.get('q')).toBeUndefined();
    expect(first.planCache.get('q')).toEqual({ plan: 'cached' });
    expect(second.planner === gateway.__testing().queryPlanner).toBe(true);
    expect(second.planner !== first.planner).toBe(true);
  });
});
