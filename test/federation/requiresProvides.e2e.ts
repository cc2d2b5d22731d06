import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopSubgraphs } from './shop/shopSubgraphs.js';
import { generousCostLimits } from './support/generousCostLimits.js';
import { startParity, type Parity } from './support/startParity.js';

let shop: Parity;

beforeAll(async () => {
  shop = await startParity(shopSubgraphs, { porticoConfig: generousCostLimits });
});

afterAll(async () => {
  await shop?.close();
});

describe('@requires, @provides and @external: Portico answers as Apollo Gateway does', () => {
  it('@requires of two fields owned by another subgraph', async () => {
    const body = await shop.expectSame({ query: '{ a: product(upc: "p1") { shippingEstimate } b: product(upc: "p4") { shippingEstimate } }' });
    // p1 costs 42 and weighs 14: 2 × 14; p4 costs 153: free. Computed from the representation.
    expect(body.data).toEqual({ a: { shippingEstimate: 28 }, b: { shippingEstimate: 0 } });
  });

  it('@requires of a field of a nested object (dimensions { size })', async () => {
    const body = await shop.expectSame({ query: '{ topProducts(first: 6) { upc packaging dimensions { weight } } }' });
    const packaging = (body.data?.topProducts as { packaging: string }[]).map((product) => product.packaging);
    expect(packaging).toEqual(['box', 'box', 'crate', 'box', 'box', 'crate']);
  });

  it('@requires of fields from two different subgraphs (reviews and products)', async () => {
    const body = await shop.expectSame({ query: '{ product(upc: "p3") { restockPriority name } }' });
    // Two reviews, price 116: 2 × 10 + 116 % 7.
    expect(body.data).toEqual({ product: { restockPriority: 24, name: 'Product 3' } });
  });

  it('a required field also selected by the client, under an alias, next to the field that requires it', async () => {
    await shop.expectSame({
      query: '{ topProducts(first: 4) { cost: price shippingEstimate price weight heavy: weight dimensions { size } packaging } }',
    });
  });

  it('@requires on entities reached through a list of another subgraph, with repeated keys', async () => {
    await shop.expectSame({
      query: '{ users(first: 8) { reviews { product { upc shippingEstimate packaging restockPriority } } } }',
    });
  });

  it('every @requires field of a hundred products at once', async () => {
    const body = await shop.expectSame({ query: '{ topProducts(first: 100) { shippingEstimate packaging restockPriority } }' });
    expect(body.data?.topProducts).toHaveLength(100);
  });

  it('@provides: the author\'s username comes with the review', async () => {
    const body = await shop.expectSame({ query: '{ latestReviews(first: 3) { id author { id username } } }' });
    expect(body.data).toEqual({
      latestReviews: [
        { id: 'r239', author: { id: 'u39', username: 'user39' } },
        { id: 'r238', author: { id: 'u38', username: 'user38' } },
        { id: 'r237', author: { id: 'u37', username: 'user37' } },
      ],
    });
  });

  it('@provides next to fields the providing subgraph cannot resolve (an accounts fetch)', async () => {
    await shop.expectSame({ query: '{ latestReviews(first: 4) { author { username name birthYear friends { username } } } }' });
  });

  it('the @external field read where it is not provided (through a user entity)', async () => {
    await shop.expectSame({ query: '{ review(id: "r5") { author { reviews { author { username } product { reviews { author { username } } } } } } }' });
  });
});
