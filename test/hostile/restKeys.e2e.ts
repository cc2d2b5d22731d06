import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postRaw } from './support/expectRefused.js';
import { startTarget, targetJwtSecret, type Target } from './support/startTarget.js';

// Keys that reach the REST backends from callers: stored by one signed-in caller (their subject,
// as a review's author) and sent to a batch endpoint by every later reader's query, or sent as a
// path segment. A key the users service would read as other keys, or keys too long together for
// one URL, must cost their own caller at most, never the readers whose batch they share; and a
// key must never name another path.
let target: Target;

beforeAll(async () => {
  target = await startTarget({ mode: 'production' });
}, 60_000);

afterAll(async () => {
  await target?.close();
});

const token = (sub: string) => jwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 600 }, targetJwtSecret, { algorithm: 'HS256' });

async function review(upc: string, sub: string): Promise<void> {
  const reply = await postRaw(
    target,
    { query: 'mutation($upc: String!) { createReview(input: { productUpc: $upc, body: "hi", rating: 5 }) { id } }', variables: { upc } },
    { authorization: `Bearer ${token(sub)}` },
  );
  expect(reply.body?.errors, JSON.stringify(reply.body)).toBeUndefined();
}

interface Authors {
  product: { reviews: Array<{ author: { id: string; name: string } | null }> };
}

// The authors of a product's reviews, read anonymously, with the calls the users service got.
async function authorsOf(upc: string) {
  await target.backends.resetCounts();
  const reply = await postRaw(target, { query: 'query($upc: String!) { product(upc: $upc) { reviews { author { id name } } } }', variables: { upc } });
  expect(reply.status).toBe(200);
  const { users, usersPaths } = await target.backends.counts();
  return {
    errors: reply.body?.errors,
    authors: (reply.body?.data as Authors).product.reviews.map((item) => item.author),
    calls: users['GET /users'] ?? 0,
    targets: Object.keys(usersPaths),
  };
}

describe('stored keys that other readers batch', () => {
  it('a subject of comma-separated ids is no author, and every other author of the product is still named', async () => {
    for (const digit of ['1', '2', '3', '4']) await review('2', Array(32).fill(digit).join(','));
    const { errors, authors, calls, targets } = await authorsOf('2');
    expect(errors).toBeUndefined();
    // One call, without the subjects the service would read as 128 ids.
    expect(calls).toBe(1);
    expect(targets).toHaveLength(1);
    expect(targets[0]).not.toMatch(/%2C/i);
    expect(authors.filter((author) => author === null)).toHaveLength(4);
    const named = authors.filter((author) => author !== null);
    expect(named.length).toBeGreaterThan(0);
    for (const author of named) expect(author.name).toEqual(expect.any(String));
  });

  it('subjects too long together for one URL are all read, in calls that fit', async () => {
    for (let index = 1; index <= 15; index += 1) await review('3', String.fromCodePoint(0x4e00 + index).repeat(64));
    const { errors, authors, calls } = await authorsOf('3');
    expect(errors).toBeUndefined();
    // About 9 KB of ids: two calls of at most 8 KiB each.
    expect(calls).toBe(2);
    // None of them is a user the users service knows; the demo data's authors are all named.
    expect(authors.filter((author) => author === null)).toHaveLength(15);
    expect(authors.filter((author) => author !== null).length).toBeGreaterThan(0);
  });
});

describe('keys as path segments', () => {
  it('a review of product ".." is written, and its product\'s reviews are never asked for as /products/../reviews', async () => {
    await target.backends.resetCounts();
    const reply = await postRaw(
      target,
      { query: 'mutation { createReview(input: { productUpc: "..", body: "x", rating: 5 }) { id product { reviews { id } } } }' },
      { authorization: `Bearer ${token('7')}` },
    );
    expect(reply.status).toBe(200);
    expect((reply.body?.data as { createReview: { id: string; product: { reviews: null } } }).createReview).toEqual({
      id: expect.any(String),
      product: { reviews: null },
    });
    expect(reply.body?.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    const anonymous = await postRaw(target, { query: '{ a: review(id: "..") { id } b: review(id: ".") { id } }' });
    expect(anonymous.body).toEqual({ data: { a: null, b: null } });
    expect((await target.backends.counts()).reviewsPaths).toEqual({ 'POST /reviews': 1 });
  });
});
