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

describe('entities across subgraphs: Portico answers as Apollo Gateway does', () => {
  it('a root entity with fields from three other subgraphs', async () => {
    const body = await shop.expectSame({
      query: '{ product(upc: "p4") { upc name price inStock shippingEstimate reviewCount reviews { id rating } } }',
    });
    expect(body.data).toEqual({
      product: { upc: 'p4', name: 'Product 4', price: 153, inStock: true, shippingEstimate: 0, reviewCount: 2, reviews: expect.any(Array) },
    });
  });

  it('entity → list of entities → entity back in the first subgraph', async () => {
    const body = await shop.expectSame({
      query: '{ users(first: 5) { id name reviews { id body author { id name birthYear } product { name reviews { author { name } } } } } }',
    });
    const users = body.data?.users as { reviews: { author: { id: string } }[] }[];
    expect(users).toHaveLength(5);
    expect(users[2]?.reviews).toHaveLength(6);
  });

  it('entities nested four subgraph hops deep', async () => {
    await shop.expectSame({
      query: `{
        topProducts(first: 3) {
          name
          reviews {
            author {
              name
              friends { username reviews { product { upc inStock price related { name inStock } } } }
            }
          }
        }
      }`,
    });
  });

  it('lists of lists with null lists, null items and products that do not exist', async () => {
    const body = await shop.expectSame(
      { query: '{ usersById(ids: ["u1", "u3", "u4", "nobody"]) { id wishlists { upc name inStock } } }' },
      { failures: true },
    );
    expect(body.data).toMatchObject({ usersById: [{ id: 'u1' }, { id: 'u3', wishlists: null }, { id: 'u4' }, null] });
    // The product "gone" is unknown to the products subgraph: `_entities` answers null for it,
    // its non-null `name` makes the item null, and Apollo Gateway says so in extensions only.
    const u1 = (body.data?.usersById as { wishlists: unknown[] }[])[0];
    expect(u1?.wishlists[2]).toEqual([null, null, { upc: 'p1', name: 'Product 1', inStock: true }]);
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.valueCompletion).toEqual([
      expect.objectContaining({ message: 'Cannot return null for non-nullable field Product.name.', path: ['usersById', 0, 'wishlists', 2, 0, 'name'] }),
      expect.objectContaining({ path: ['usersById', 2, 'wishlists', 2, 0, 'name'] }),
    ]);
  });

  it('lists of lists of scalars and lists with null items, within one subgraph', async () => {
    await shop.expectSame({ query: '{ topProducts(first: 6) { upc tagGroups category related { upc tagGroups } } users(first: 4) { nicknames birthYear } }' });
  });

  it('a hundred entities in one entity fetch, and their @requires', async () => {
    const body = await shop.expectSame({ query: '{ topProducts(first: 100) { upc inStock shippingEstimate reviewCount } }' });
    expect(body.data?.topProducts).toHaveLength(100);
  });

  it('the same entity key several times in one list (reviews of the same products)', async () => {
    const body = await shop.expectSame({ query: '{ user(id: "u0") { reviews { product { upc name inStock packaging } } } }' });
    const upcs = (body.data?.user as { reviews: { product: { upc: string } }[] }).reviews.map((review) => review.product.upc);
    expect(upcs).toEqual(['p0', 'p40', 'p80', 'p0', 'p40', 'p80']);
  });

  it('the same key at several depths and in several lists at once', async () => {
    await shop.expectSame(
      { query: '{ usersById(ids: ["u1", "u1", "u2"]) { name wishlists { name } friends { name friends { name wishlists { upc inStock } } } } }' },
      { failures: true },
    );
  });

  it('an entity that is not found is null, its siblings are not', async () => {
    const body = await shop.expectSame({ query: '{ productsByUpc(upcs: ["p1", "nope", "p2"]) { upc name inStock reviewCount } }' });
    expect(body.data?.productsByUpc).toEqual([expect.objectContaining({ upc: 'p1' }), null, expect.objectContaining({ upc: 'p2' })]);
  });

  it('a large list that fans out to three subgraphs and back', async () => {
    await shop.expectSame({ query: '{ users(first: 40) { id username reviews { rating product { upc price inStock reviewCount } } } }' });
  });
});
