import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopSubgraphs } from './shop/shopSubgraphs.js';
import { generousCostLimits } from './support/generousCostLimits.js';
import { startParity, type Parity } from './support/startParity.js';

const post = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

// One shop (accounts, products, inventory, reviews) for every scenario of this file.
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
    const body = await shop.expectSame({ query: '{ usersById(ids: ["u1", "u3", "u4", "nobody"]) { id wishlists { upc name inStock } } }' }, { failures: true });
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

  it("@provides: the author's username comes with the review", async () => {
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

describe('operation features over a federated plan: Portico answers as Apollo Gateway does', () => {
  it('the same field twice under aliases with different arguments, across subgraphs', async () => {
    const body = await shop.expectSame({
      query: `{
        cheap: product(upc: "p11") { name shipping: shippingEstimate }
        dear: product(upc: "p8") { name shipping: shippingEstimate reviewCount }
        first: topProducts(first: 1) { upc }
        firstTwo: topProducts(first: 2) { upc alsoUpc: upc }
      }`,
    });
    expect(Object.keys(body.data ?? {})).toEqual(['cheap', 'dear', 'first', 'firstTwo']);
  });

  it('aliases that swap field names inside entities', async () => {
    await shop.expectSame({ query: '{ users(first: 3) { name: username username: name reviews { id: body body: id } } }' });
  });

  it('variables of list, nullable and default values', async () => {
    await shop.expectSame({
      query:
        'query Products($upcs: [String!]!, $first: Int = 2, $count: Int) { productsByUpc(upcs: $upcs) { upc inStock } topProducts(first: $first) { upc } users(first: $count) { id } }',
      variables: { upcs: ['p5', 'p6', 'nope'], count: 2 },
    });
  });

  it('@skip and @include with variables, on fields, fragments and fields of other subgraphs', async () => {
    const query = `query Toggles($withReviews: Boolean!, $skipStock: Boolean!) {
      topProducts(first: 3) {
        name
        inStock @skip(if: $skipStock)
        reviews @include(if: $withReviews) { id author { name @include(if: $withReviews) } }
        ... on Product @include(if: $withReviews) { reviewCount }
        ...Shipping @skip(if: $skipStock)
      }
    }
    fragment Shipping on Product { shippingEstimate }`;
    for (const variables of [
      { withReviews: true, skipStock: false },
      { withReviews: false, skipStock: true },
      { withReviews: true, skipStock: true },
    ]) {
      await shop.expectSame({ query, variables });
    }
  });

  it('named and inline fragments, nested and overlapping, across subgraphs', async () => {
    await shop.expectSame({
      query: `
        query WithFragments { me { ...UserParts friends { ...UserParts } } topProducts(first: 2) { ...ProductParts ... on Product { upc name } } }
        fragment UserParts on User { id name ... on User { username reviews { ...ReviewParts } } }
        fragment ReviewParts on Review { rating product { ...ProductParts } }
        fragment ProductParts on Product { name ... { inStock price } ... on Product { shippingEstimate } }
      `,
    });
  });

  it('__typename at the root, on entities, in nested lists and under aliases', async () => {
    const body = await shop.expectSame({
      query: '{ __typename me { __typename kind: __typename reviews { __typename product { __typename dimensions { __typename } } } } }',
    });
    expect(body.data).toMatchObject({ __typename: 'Query', me: { __typename: 'User', kind: 'User' } });
  });

  it('operationName picks one operation of several', async () => {
    const query = 'query A { me { name } } query B { topProducts(first: 1) { name inStock } }';
    const body = await shop.expectSame({ query, operationName: 'B' });
    expect(body.data).toEqual({ topProducts: [{ name: 'Product 0', inStock: false }] });
  });

  it('introspection: __schema in full, with @defer, which Portico runs and Apollo Gateway does not', async () => {
    const { apollo, portico } = await shop.ask({ query: getIntrospectionQuery() });
    expect(portico.status).toBe(apollo.status);
    const schema = (portico.body.data as { __schema: { directives: { name: string }[] } }).__schema;
    expect(schema.directives.at(-1)!.name).toBe('defer');
    schema.directives.pop();
    expect(JSON.stringify(portico.body)).toBe(apollo.text);
    expect(apollo.body.data).toHaveProperty('__schema.queryType.name', 'Query');
  });

  it('@defer for a client that takes one JSON answer: the same answer, byte for byte, as Apollo Gateway gives without @defer', async () => {
    const withoutDefer = (query: string) => query.replace(/@defer(\([^)]*\))?/g, '');
    const pairs = [
      '{ topProducts(first: 4) { upc name ... @defer { inStock shippingEstimate ... @defer(label: "r") { reviews { body author { username name } } } } } }',
      '{ user(id: "u1") { username ...Reviews @defer } } fragment Reviews on User { reviews { rating product { upc ... @defer { name } } } }',
    ].map((query): [Record<string, unknown>, Record<string, unknown>] => [{ query }, { query: withoutDefer(query) }]);
    pairs.push([
      { query: 'query($later: Boolean!) { product(upc: "p2") { name ... @defer(if: $later) { packaging restockPriority } } }', variables: { later: true } },
      { query: '{ product(upc: "p2") { name ... { packaging restockPriority } } }' },
    ]);
    for (const [deferred, plain] of pairs) {
      const apollo = await (await fetch(`${shop.apollo.origin}/graphql`, post(plain))).text();
      const portico = await fetch(`${shop.portico.origin}/graphql`, post(deferred));
      expect(portico.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await portico.text()).toBe(apollo);
    }
  });

  it('introspection: __type of an entity, with enum values and next to data', async () => {
    await shop.expectSame({
      query: `{
        product: __type(name: "Product") { name kind fields { name type { kind name ofType { kind name ofType { kind name } } } } }
        category: __type(name: "Category") { enumValues { name } }
        missing: __type(name: "Nope") { name }
        me { name }
      }`,
    });
  });

  it('a validation error: an unknown field', async () => {
    await shop.expectSame({ query: '{ me { name shoeSize } }' }, { failures: true });
  });

  it('a variable of the wrong type', async () => {
    await shop.expectSame({ query: 'query ($first: Int) { topProducts(first: $first) { name } }', variables: { first: 'many' } }, { failures: true });
  });

  it('a missing required variable, and a syntax error', async () => {
    await shop.expectSame({ query: 'query ($upc: String!) { product(upc: $upc) { name } }' }, { failures: true });
    await shop.expectSame({ query: '{ me { name }' }, { failures: true });
  });
});
