import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMultipart } from '../support/readMultipart.js';
import { postGraphQL, startStack, type Stack } from '../support/startStack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const productPage = '{ product(upc: "1") { name ... @defer(label: "reviews") { reviews { body author { name } } } } }';
const withoutDefer = (query: string) => query.replace(/@defer(\([^)]*\))?/g, '');

describe('@defer over multipart/mixed', () => {
  it('answers the product page with its name first, then the reviews at ["product"]', async () => {
    const reply = await postMultipart(stack.url, { query: productPage });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
    const whole = await postGraphQL(stack.url, withoutDefer(productPage));
    const product = (whole.data as { product: { name: string; reviews: unknown } }).product;
    expect(reply.parts).toEqual([
      { data: { product: { name: product.name } }, hasNext: true },
      { hasNext: false, incremental: [{ data: { reviews: product.reviews }, path: ['product'], label: 'reviews' }] },
    ]);
  });
});
