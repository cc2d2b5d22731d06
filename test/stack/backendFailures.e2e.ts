import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postGraphQL, startStack, type Stack } from '../support/startStack.js';

// A failing backend costs the client the fields it backs, with errors naming the service and
// a code; everything else still arrives, and nothing crashes.
let stack: Stack | undefined;
let fake: Server | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
  if (fake) await new Promise((resolve) => fake!.close(resolve));
  fake = undefined;
});

// Another team's service having a bad day: every call answers 500 with internals in the body.
async function failingService(): Promise<string> {
  fake = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'SQLException: connection pool exhausted at db-7' } }));
  });
  await new Promise<void>((resolve) => fake!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
}

describe('a backend that is down', () => {
  it('users service down: user fields fail with BACKEND_UNAVAILABLE from accounts, products and reviews still arrive', async () => {
    stack = await startStack();
    await stack.backends.stop('users');
    const reply = await postGraphQL(stack.url, '{ user(id: "1") { name } topProducts(first: 2) { name reviews { body author { name } } } }');
    expect(reply.status).toBe(200);
    expect(reply.data!.user).toBeNull();
    const products = reply.data!.topProducts as Array<{ name: string; reviews: Array<{ body: string; author: unknown }> }>;
    expect(products.map((product) => product.name)).toEqual(stack.backends.data.products.slice(0, 2).map((product) => product.name));
    expect(products.flatMap((product) => product.reviews).length).toBeGreaterThan(0);
    for (const review of products.flatMap((product) => product.reviews)) {
      expect(review.body).toEqual(expect.any(String));
      expect(review.author).toBeNull();
    }
    expect(reply.errors!.length).toBeGreaterThan(0);
    for (const error of reply.errors!) {
      expect(error.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', serviceName: 'accounts' });
      expect(error.message).toBe('The users service is unreachable.');
    }
    expect(reply.errors!.map((error) => error.path?.[0])).toEqual(expect.arrayContaining(['user', 'topProducts']));
    // Development mode, and still no stack traces for the client.
    expect(JSON.stringify(reply.errors)).not.toMatch(/stacktrace|node_modules/);
  });

  it('catalog service down: topProducts fails with BACKEND_UNAVAILABLE from products, users still arrive', async () => {
    stack = await startStack();
    await stack.backends.stop('catalog');
    const reply = await postGraphQL(stack.url, '{ topProducts(first: 2) { name } users(first: 2) { name } }');
    expect(reply.data).toEqual({ topProducts: null, users: stack.backends.data.users.slice(0, 2).map(({ name }) => ({ name })) });
    expect(reply.errors).toHaveLength(1);
    expect(reply.errors![0]).toMatchObject({
      message: 'The catalog service is unavailable.',
      path: ['topProducts'],
      extensions: { code: 'BACKEND_UNAVAILABLE', serviceName: 'products' },
    });
  });

  it('inventory service down: stock fields are null with one error each, product data arrives', async () => {
    stack = await startStack();
    await stack.backends.stop('inventory');
    const reply = await postGraphQL(stack.url, '{ topProducts(first: 3) { upc name inStock } }');
    const products = reply.data!.topProducts as Array<{ upc: string; name: string; inStock: boolean | null }>;
    expect(products.map(({ upc, name }) => ({ upc, name }))).toEqual(stack.backends.data.products.slice(0, 3).map(({ upc, name }) => ({ upc, name })));
    expect(products.every((product) => product.inStock === null)).toBe(true);
    expect(reply.errors!.map((error) => error.path)).toEqual([0, 1, 2].map((index) => ['topProducts', index, 'inStock']));
    expect(reply.errors![0]!.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', serviceName: 'inventory' });
  });
});

describe('a backend that answers with errors', () => {
  it('reviews service failing with 500: reviews are null with BACKEND_ERROR and no internals, the rest arrives', async () => {
    stack = await startStack({ backendOverrides: { reviewsUrl: await failingService() } });
    const reply = await postGraphQL(stack.url, '{ topProducts(first: 2) { name price reviews { body } } }');
    const products = reply.data!.topProducts as Array<{ name: string; price: number; reviews: unknown }>;
    expect(products).toEqual(stack.backends.data.products.slice(0, 2).map(({ name, price }) => ({ name, price, reviews: null })));
    expect(reply.errors).toHaveLength(2);
    for (const error of reply.errors!) {
      expect(error).toMatchObject({ message: 'The reviews service failed with HTTP 500.', extensions: { code: 'BACKEND_ERROR', serviceName: 'reviews' } });
      expect(JSON.stringify(error)).not.toContain('SQLException');
    }
  });
});

describe('a subgraph that is down', () => {
  it("gives the other subgraphs' data and an error naming the missing subgraph", async () => {
    stack = await startStack();
    await stack.subgraphs.stop('reviews');
    const reply = await postGraphQL(stack.url, '{ topProducts(first: 2) { name reviews { body } } }');
    const products = reply.data!.topProducts as Array<{ name: string; reviews: unknown }>;
    expect(products.map((product) => product.name)).toEqual(stack.backends.data.products.slice(0, 2).map((product) => product.name));
    expect(products.every((product) => product.reviews === null)).toBe(true);
    expect(reply.errors![0]).toMatchObject({
      message: expect.stringMatching(/^Subgraph "reviews" could not be reached/),
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'reviews' },
    });
  });
});
