import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoData } from '../../backends/data/types.js';
import { postGraphQL, startStack, type Stack } from '../support/startStack.js';

// One query through the gateway, checked against an answer computed from the backends' data
// without federation; then batching, proven by the backends' own call counters.
let stack: Stack;
let data: DemoData;

beforeAll(async () => {
  stack = await startStack();
  data = stack.backends.data;
});
afterAll(() => stack?.close());
beforeEach(() => stack.backends.resetCounts());

const byId = <T, K extends keyof T>(items: readonly T[], key: K) => new Map(items.map((item) => [item[key], item]));
const shipping = (price: number, weight: number) => (price >= 100_000 ? 0 : Math.ceil(weight / 2));
const reviewsById = (reviews: DemoData['reviews']) => [...reviews].sort((a, b) => Number(a.id) - Number(b.id));

describe('one query across all four backends', () => {
  it('returns the same answer as the data computed without federation', async () => {
    const reply = await postGraphQL(stack.url, '{ topProducts(first: 5) { name price inStock shippingEstimate reviews { body author { name } } } }');
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();

    const stock = byId(data.stock, 'upc');
    const users = byId(data.users, 'id');
    const expected = data.products.slice(0, 5).map((product) => ({
      name: product.name,
      price: product.price,
      inStock: stock.get(product.upc)!.inStock,
      shippingEstimate: shipping(product.price, product.weight),
      reviews: reviewsById(data.reviews)
        .filter((review) => review.productUpc === product.upc)
        .map((review) => ({ body: review.body, author: { name: users.get(review.authorId)!.name } })),
    }));
    expect(expected.some((product) => product.reviews.length > 0)).toBe(true);
    expect(reply.data).toEqual({ topProducts: expected });

    const counts = await stack.backends.counts();
    expect(counts.catalog).toEqual({ ListTopProducts: 1 });
    expect(counts.inventory).toEqual({ GetStock: 1 });
    expect(counts.users).toEqual({ 'GET /users': 1 });
  });
});

describe('batching', () => {
  it.each([10, 100, 200])('users(first: %i) costs one call to each batch backend and one review call per user', async (first) => {
    const reply = await postGraphQL(stack.url, `{ users(first: ${first}) { name reviews { product { name inStock } } } }`);
    expect(reply.errors).toBeUndefined();
    const users = reply.data!.users as Array<{ name: string; reviews: Array<{ product: { name: string; inStock: boolean } }> }>;
    expect(users).toHaveLength(first);
    // Spot-check the joined data for the last user.
    const last = data.users[first - 1]!;
    const products = byId(data.products, 'upc');
    const theirs = reviewsById(data.reviews).filter((review) => review.authorId === last.id);
    expect(users[first - 1]).toEqual({
      name: last.name,
      reviews: theirs.map((review) => ({
        product: { name: products.get(review.productUpc)!.name, inStock: data.stock.find((level) => level.upc === review.productUpc)!.inStock },
      })),
    });

    const counts = await stack.backends.counts();
    // The issue allows up to two calls each; the batch limits let one call carry a whole level.
    expect(counts.users).toEqual({ 'GET /users': 1 });
    expect(counts.catalog).toEqual({ GetProducts: 1 });
    expect(counts.inventory).toEqual({ GetStock: 1 });
    // The reviews service has no batch endpoint: one call per user, never the same one twice.
    expect(Object.keys(counts.reviewsPaths)).toHaveLength(first);
    expect(Math.max(...Object.values(counts.reviewsPaths))).toBe(1);
  });
});
