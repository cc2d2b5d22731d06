import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectStillServing, postRaw, send, type Reply } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

// Client names against the names federation's query planner uses itself, on a real gateway
// process: aliases against the fields it selects, a variable against its `$representations`.
// The planner adds to a subgraph fetch what a later fetch reads from its objects (an entity's key,
// `@requires` inputs) and merges a fetch's selections by response name: a client alias that is
// one of those names, on another field, was merged with the planner's field. The client then read
// the real field under its alias (a protected field that way), or a later subgraph was sent the
// aliased value in a representation (a wrong shippingEstimate). Every answer must be the value of
// the field asked for, or a refusal naming the alias; other fields' answers must not change.

const scalars = ['upc', 'name', 'price', 'weight', 'inStock', 'warehouse', 'shippingEstimate'] as const;
// The demo supergraph: inventory's fields and reviews are fetched by Product's key (`upc`) from
// products' answer; shippingEstimate also reads its @requires inputs, `price` and `weight`.
const byKey = new Set(['inStock', 'warehouse', 'shippingEstimate', 'reviews']);

/** The names a later fetch reads from the products' objects of a selection with these fields. */
function readByLaterFetches(fields: readonly string[]): Set<string> {
  const names = new Set<string>();
  if (fields.some((field) => byKey.has(field))) names.add('upc');
  if (fields.includes('shippingEstimate')) for (const name of ['price', 'weight']) names.add(name);
  return names;
}

type Products = { topProducts: Record<string, unknown>[] };

describe('aliases named like the fields the query planner selects', () => {
  let target: Target;
  let reference: Record<string, unknown>[];

  beforeAll(async () => {
    target = await startTarget({
      mode: 'production',
      config: { rateLimit: { default: { windowSeconds: 60, limit: 100_000 }, perAddress: { newDocuments: { limit: 0 } } } },
    });
    await vi.waitFor(async () => expect((await postRaw(target, { query: '{ topProducts(first: 1) { upc } }' })).status).toBe(200), {
      timeout: 30_000,
      interval: 500,
    });
    const answer = await postRaw(target, { query: `{ topProducts(first: 3) { ${scalars.join(' ')} reviews { id } } }` });
    reference = (answer.body?.data as Products).topProducts;
  }, 120_000);
  afterAll(() => target?.close());

  const expectAliasRefused = (reply: Reply, alias: string) => {
    const error = reply.body?.errors?.[0];
    expect(error?.extensions?.code, JSON.stringify(reply.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error?.message).toContain(`The alias "${alias}"`);
    expect(reply.body?.data).toBeUndefined();
  };

  it('answers each aliased field with its own value, with the planner’s fields beside it, or refuses the alias', async () => {
    const alias = fc.constantFrom(...scalars, 'cost', 'label', '__proto__');
    const neighbours = fc.subarray(['shippingEstimate', 'inStock', 'name', 'reviews { id }'] as const);
    await fc.assert(
      fc.asyncProperty(alias, fc.constantFrom(...scalars), neighbours, async (key, field, around) => {
        const query = `{ topProducts(first: 3) { ${around.join(' ')} ${key}: ${field} } }`;
        const reply = await postRaw(target, { query });
        const aroundFields = around.map((neighbour) => neighbour.split(' ')[0]!);
        // A response name asked for twice for different fields is graphql-js's own refusal.
        if (aroundFields.includes(key) && key !== field) {
          expect(reply.body?.errors?.[0]?.extensions?.code, query).toBe('GRAPHQL_VALIDATION_FAILED');
          return;
        }
        if (key !== field && readByLaterFetches([...aroundFields, field]).has(key)) {
          expectAliasRefused(reply, key);
          return;
        }
        expect(reply.body?.errors, query).toBeUndefined();
        const products = (reply.body?.data as Products).topProducts;
        products.forEach((product, index) => {
          expect(product[key], query).toEqual(reference[index]![field]);
          if (aroundFields.includes('shippingEstimate')) expect(product.shippingEstimate, query).toBe(reference[index]!.shippingEstimate);
          if (aroundFields.includes('reviews')) expect(product.reviews, query).toEqual(reference[index]!.reviews);
        });
      }),
      { numRuns: 150 },
    );
    expect(target.alive(), target.output()).toBe(true);
    await expectStillServing(target);
  }, 120_000);

  it('refuses the review’s cases, over every transport of a query, and serves aliases no fetch reads', async () => {
    expectAliasRefused(await postRaw(target, { query: '{ topProducts(first: 1) { reviews { product { upc: name shippingEstimate } } } }' }), 'upc');
    expectAliasRefused(await postRaw(target, { query: '{ topProducts(first: 1) { shippingEstimate weight: price } }' }), 'weight');
    expectAliasRefused(
      await postRaw(target, { query: '{ topProducts(first: 1) { ...F } } fragment F on Product { shippingEstimate price: weight }' }),
      'price',
    );
    const get = await send(`${target.origin}/graphql?query=${encodeURIComponent('{ topProducts(first: 1) { inStock upc: name } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expectAliasRefused(get, 'upc');
    // Wherever it is, fetched by a later fetch or not: the gateway reads an object's __typename to know its type.
    expectAliasRefused(await postRaw(target, { query: '{ topProducts(first: 1) { reviews { author { __typename: username } } } }' }), '__typename');
    expectAliasRefused(await postRaw(target, { query: '{ topProducts(first: 1) { __typename: name } }' }), '__typename');
    // No later fetch reads a review's `id` here: the swap is answered, each field its own value.
    const swapped = await postRaw(target, { query: '{ topProducts(first: 1) { reviews { id: body body: id } } }' });
    const plain = await postRaw(target, { query: '{ topProducts(first: 1) { reviews { id body } } }' });
    const pairs = (reply: Reply) => (reply.body?.data as { topProducts: { reviews: { id: string; body: string }[] }[] }).topProducts[0]!.reviews;
    expect(pairs(swapped)).toEqual(pairs(plain).map(({ id, body }) => ({ id: body, body: id })));
  });

  it('keeps a client field under the name of authorization’s placeholder when a field is removed', async () => {
    // Anonymous: `email` is removed (and answered null with an error); `name` is the client's.
    const reply = await postRaw(target, { query: '{ topProducts(first: 1) { reviews { author { portico__typename: username email } } } }' });
    const author = (reply.body?.data as { topProducts: { reviews: { author: Record<string, unknown> }[] }[] }).topProducts[0]!.reviews[0]!.author;
    expect(typeof author.portico__typename, JSON.stringify(reply.body)).toBe('string');
    expect(author.email).toBeNull();
  });

  it('refuses the variable $representations where an entity fetch would use it, and serves it elsewhere', async () => {
    const where = await postRaw(target, {
      query: 'query ($representations: Boolean!) { topProducts(first: 1) { inStock warehouse @include(if: $representations) } }',
      variables: { representations: true },
    });
    expect(where.body?.errors?.[0]?.extensions?.code, JSON.stringify(where.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(where.body?.errors?.[0]?.message).toContain('"$representations"');
    expect(where.body?.data).toBeUndefined();
    // In the root fetch only: no entity fetch, no clash.
    const elsewhere = await postRaw(target, {
      query: 'query ($representations: Int) { topProducts(first: $representations) { upc } }',
      variables: { representations: 1 },
    });
    expect(elsewhere.body?.errors, JSON.stringify(elsewhere.body)).toBeUndefined();
    expect((elsewhere.body?.data as Products).topProducts).toHaveLength(1);
  });
});
