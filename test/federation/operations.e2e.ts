import { getIntrospectionQuery } from 'graphql';
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
      query: 'query Products($upcs: [String!]!, $first: Int = 2, $count: Int) { productsByUpc(upcs: $upcs) { upc inStock } topProducts(first: $first) { upc } users(first: $count) { id } }',
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

  it('introspection: __schema in full', async () => {
    const body = await shop.expectSame({ query: getIntrospectionQuery() });
    expect(body.data).toHaveProperty('__schema.queryType.name', 'Query');
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
