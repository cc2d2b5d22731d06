import { composeServices } from '@apollo/composition';
import { GraphQLSchema } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../gateway/config/ConfigError.js';
import { productsSubgraph } from '../fixtures/products.js';
import { reviewsSubgraph } from '../fixtures/reviews.js';
import { wireApolloGateway } from './wireApolloGateway.js';

function compose(subgraphs: readonly (typeof productsSubgraph)[]): string {
  const result = composeServices(subgraphs.map(({ name, typeDefs }) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs })));
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}

const gateways: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop();
});

describe('createServedSupergraph', () => {
  it('has nothing to serve before the first load', async () => {
    const { served } = await wireApolloGateway({ sdl: compose([productsSubgraph, reviewsSubgraph]) });
    expect(() => served.current()).toThrow('the gateway has no supergraph loaded yet');
    expect(() => served.confirm()).not.toThrow();
  });

  it('says why there is nothing to serve when the first snapshot could not be built', async () => {
    const wired = await wireApolloGateway({ sdl: compose([productsSubgraph]), subgraphs: { reviews: { url: 'http://reviews.invalid/graphql' } } });
    gateways.push(wired.gateway);
    await wired.gateway.load();
    expect(() => wired.served.current()).toThrow(ConfigError);
    expect(() => wired.served.current()).toThrow(`subgraphs.reviews: no subgraph of that name in ${wired.file} (known: products)`);
    expect(() => wired.served.confirm()).toThrow(ConfigError);
  });

  it('swaps in a snapshot per load; one it cannot build is refused, and Apollo Gateway is given the served one back', async () => {
    // Config routes `reviews` elsewhere: a supergraph without it does not fit the config.
    const wired = await wireApolloGateway({
      sdl: compose([productsSubgraph, reviewsSubgraph]),
      subgraphs: { reviews: { url: 'http://reviews.override.invalid/graphql' } },
    });
    gateways.push(wired.gateway);
    await wired.gateway.load();
    wired.served.confirm();
    const first = wired.served.current();
    expect(first.subgraphs.map(({ name }) => name)).toEqual(['products', 'reviews']);

    wired.replace(compose([productsSubgraph]));
    await vi.waitFor(() => expect(wired.manager.status().lastError?.message).toContain('subgraphs.reviews: no subgraph of that name'), { timeout: 10_000 });
    expect(wired.manager.status().reloads).toBe(0);
    // The refused load left no snapshot; the one served is rebuilt from the previous supergraph,
    // with the planner Apollo Gateway plans with now (booleans: a failing toBe prints whole planners).
    const now = wired.served.current();
    expect(now.subgraphs.map(({ name }) => name)).toEqual(['products', 'reviews']);
    expect(now.planner === wired.gateway.__testing().queryPlanner).toBe(true);
    expect(wired.swaps.every((snapshot) => snapshot.subgraphs.length === 2)).toBe(true);
    expect(() => wired.served.confirm()).not.toThrow();
  });

  it('gives a request the snapshot of the schema it was validated against, after a reload too', async () => {
    const wired = await wireApolloGateway({ sdl: compose([productsSubgraph]) });
    gateways.push(wired.gateway);
    await wired.gateway.load();
    const before = wired.served.current();
    wired.replace(compose([productsSubgraph, reviewsSubgraph]));
    await vi.waitFor(() => expect(wired.served.current()).not.toBe(before), { timeout: 10_000 });
    const after = wired.served.current();
    // A request Apollo Server validated before the reload runs on the supergraph it was validated against.
    expect(wired.served.of(before.apiSchema) === before).toBe(true);
    expect(wired.served.of(after.apiSchema) === after).toBe(true);
    expect(before.subgraphs.map(({ name }) => name)).toEqual(['products']);
    // A schema it never served: the current snapshot.
    expect(wired.served.of(new GraphQLSchema({})) === after).toBe(true);
  });
});
