import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeIncrementalParts } from '../support/mergeIncrementalParts.js';
import { postMultipart } from '../support/readMultipart.js';
import { postGraphQL, startStack, type Stack } from '../support/startStack.js';

// @defer through a real gateway in front of the demo subgraphs: multipart/mixed for clients that
// read it, one merged answer for those that do not, and the merged answer always equal to the
// same operation without @defer.
let stack: Stack;

const productPage = '{ product(upc: "1") { name ... @defer(label: "reviews") { reviews { body author { name } } } } }';
const trusted = 'query ProductPage { product(upc: "4") { name ... @defer { reviews { rating } } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  const manifest = join(mkdtempSync(join(tmpdir(), 'portico-defer-')), 'manifest.json');
  const operations = [{ id: sha256(trusted), name: 'ProductPage', type: 'query', body: trusted }];
  writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
  stack = await startStack({
    config: { authorization: { policyModule: resolve('gateway/demo/policies.ts') }, trustedDocuments: { mode: 'log-unknown', manifest } },
  });
});
afterAll(() => stack?.close());
const withoutDefer = (query: string) => query.replace(/@defer(\([^)]*\))?/g, '');
const dataOf = async (query: string, variables?: Record<string, unknown>) => {
  const reply = await postGraphQL(stack.url, withoutDefer(query), variables);
  expect(reply.errors).toBeUndefined();
  return reply.data as Record<string, unknown>;
};

describe('@defer over multipart/mixed', () => {
  it('answers the product page with its name first, then the reviews at ["product"] with their label', async () => {
    const reply = await postMultipart(stack.url, { query: productPage });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
    const product = (await dataOf(productPage)).product as { name: string; reviews: unknown };
    expect(reply.parts).toEqual([
      { data: { product: { name: product.name } }, hasNext: true },
      { hasNext: false, incremental: [{ data: { reviews: product.reviews }, path: ['product'], label: 'reviews' }] },
    ]);
    // The bytes Apollo Client and urql parse: boundary "-", each part JSON, a closing delimiter.
    expect(reply.raw.startsWith('\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"data":{"product":{"name":')).toBe(true);
    expect(reply.raw.endsWith('}\r\n-----\r\n')).toBe(true);
  });

  it('delivers nested @defer on a list item by item, each nested part after its parent, and merges to the answer without @defer', async () => {
    const query = '{ topProducts(first: 3) { upc name ... @defer(label: "stock") { inStock ... @defer(label: "reviews") { reviews { rating } } } } }';
    const reply = await postMultipart(stack.url, { query });
    expect(reply.parts).toHaveLength(3);
    expect(reply.parts[0]).toMatchObject({ hasNext: true });
    const [, stock, reviews] = reply.parts as { incremental: { path: unknown[]; label: string; data: Record<string, unknown> }[]; hasNext: boolean }[];
    expect(stock!.incremental.map((item) => [item.path, item.label, Object.keys(item.data)])).toEqual(
      [0, 1, 2].map((index) => [['topProducts', index], 'stock', ['inStock']]),
    );
    expect(stock!.hasNext).toBe(true);
    expect(reviews!.incremental.map((item) => [item.path, item.label, Object.keys(item.data)])).toEqual(
      [0, 1, 2].map((index) => [['topProducts', index], 'reviews', ['reviews']]),
    );
    expect(reviews!.hasNext).toBe(false);
    // Byte-identical data once merged: the same keys in the same order as without @defer.
    expect(JSON.stringify(mergeIncrementalParts(reply.parts))).toBe(JSON.stringify(await dataOf(query)));
  });

  it('gives a client that accepts only application/json the whole answer at once, equal to the one without @defer', async () => {
    for (const query of [productPage, '{ topProducts(first: 3) { name ... @defer { inStock ... @defer { reviews { rating author { name } } } } } }']) {
      const reply = await postMultipart(stack.url, { query }, {}, 'application/json');
      expect(reply.contentType).toMatch(/^application\/json/);
      expect(reply.parts).toHaveLength(1);
      expect(JSON.stringify(reply.parts[0])).toBe(JSON.stringify({ data: await dataOf(query) }));
    }
  });

  it('runs @defer(if: false) and @defer(if: $v) with v false as an ordinary fragment: one JSON answer', async () => {
    const literal = await postMultipart(stack.url, { query: productPage.replace('@defer(label: "reviews")', '@defer(if: false)') });
    expect(literal.contentType).toMatch(/^application\/json/);
    expect(literal.parts[0]).toEqual({ data: await dataOf(productPage) });
    const query = 'query($later: Boolean!) { product(upc: "2") { name ... @defer(if: $later) { price } } }';
    const whole = await dataOf('{ product(upc: "2") { name price } }');
    const off = await postMultipart(stack.url, { query, variables: { later: false } });
    expect(off.contentType).toMatch(/^application\/json/);
    expect(off.parts[0]).toEqual({ data: whole });
    const on = await postMultipart(stack.url, { query, variables: { later: true } });
    expect(on.contentType).toMatch(/^multipart\/mixed/);
    expect(on.parts).toHaveLength(2);
    expect(mergeIncrementalParts(on.parts)).toEqual(whole);
  });

  it('puts the null and error of a field authorization removed inside a deferred fragment in that part', async () => {
    const query = '{ user(id: "1") { name ... @defer(label: "private") { username email } } }';
    const reply = await postMultipart(stack.url, { query });
    const user = stack.backends.data.users[0]!;
    expect(reply.parts[0]).toEqual({ data: { user: { name: user.name } }, hasNext: true });
    const part = reply.parts[1] as {
      incremental: { data: unknown; path: unknown; label: string; errors: { path: unknown; extensions: { code: string } }[] }[];
    };
    expect(part.incremental).toHaveLength(1);
    expect(part.incremental[0]).toMatchObject({ data: { username: user.username, email: null }, path: ['user'], label: 'private' });
    expect(part.incremental[0]!.errors.map((error) => [error.path, error.extensions.code])).toEqual([[['user', 'email'], 'UNAUTHENTICATED']]);
    // Merged for a JSON client, as without @defer.
    const merged = await postGraphQL(stack.url, query);
    expect(merged.data).toEqual({ user: { name: user.name, username: user.username, email: null } });
    expect(merged.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('works with Apollo Client 4 (HttpLink, Defer20220824Handler): the name first, then the reviews', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: stack.url }),
      cache: new InMemoryCache(),
      incrementalHandler: new Defer20220824Handler(),
    });
    const seen: { dataState: string; data: unknown }[] = [];
    await new Promise<void>((done, fail) => {
      const subscription = client.watchQuery({ query: gql(productPage), fetchPolicy: 'network-only' }).subscribe({
        next(result) {
          if (result.loading && result.data === undefined) return;
          seen.push({ dataState: result.dataState, data: result.data });
          if (result.dataState === 'complete') {
            subscription.unsubscribe();
            done();
          }
        },
        error: fail,
      });
    });
    const whole = await dataOf(productPage);
    expect(seen[0]).toMatchObject({ dataState: 'streaming', data: { product: { name: (whole.product as { name: string }).name } } });
    expect((seen[0]!.data as { product: Record<string, unknown> }).product.reviews).toBeUndefined();
    expect(JSON.parse(JSON.stringify(seen.at(-1)!.data, (key, value) => (key === '__typename' ? undefined : value)))).toEqual(whole);
    client.stop();
  });

  it('runs a trusted document with @defer sent by its id alone, in parts', async () => {
    const reply = await postMultipart(stack.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(trusted) } } });
    expect(reply.contentType).toMatch(/^multipart\/mixed/);
    expect(reply.parts).toHaveLength(2);
    expect(mergeIncrementalParts(reply.parts)).toEqual(await dataOf(trusted));
  });

  it('costs a deferred field what it costs undeferred (demand control)', async () => {
    const query = '{ topProducts(first: 5) { name ... @defer { shippingEstimate reviews { body } } } }';
    const costOf = async (text: string, accept: string) => {
      const reply = await postMultipart(stack.url, { query: text }, { 'x-portico-cost': 'true' }, accept);
      return (reply.parts[0] as { extensions?: { cost?: unknown } }).extensions?.cost;
    };
    const plain = await costOf(withoutDefer(query), 'application/json');
    expect(plain).toMatchObject({ estimated: expect.any(Number) });
    expect(await costOf(query, 'application/json')).toEqual(plain);
    // Streamed, the cost rides on the first payload.
    expect(await costOf(query, 'multipart/mixed;deferSpec=20220824')).toEqual(plain);
  });

  // Last: it stops the reviews backend for the rest of the file.
  it('gives a deferred part whose subgraph fails its errors at its path; the first payload still arrives', async () => {
    const first = await dataOf('{ product(upc: "3") { name } }');
    await stack.backends.stop('reviews');
    const reply = await postMultipart(stack.url, { query: '{ product(upc: "3") { name ... @defer { reviews { body } } } }' });
    expect(reply.parts[0]).toEqual({ data: first, hasNext: true });
    const part = reply.parts[1] as {
      hasNext: boolean;
      incremental: { data: unknown; path: unknown; errors: { path: unknown; extensions: { code: string; serviceName?: string } }[] }[];
    };
    expect(part.hasNext).toBe(false);
    expect(part.incremental).toHaveLength(1);
    expect(part.incremental[0]).toMatchObject({ data: { reviews: null }, path: ['product'] });
    expect(part.incremental[0]!.errors.length).toBeGreaterThan(0);
    expect(part.incremental[0]!.errors[0]).toMatchObject({ path: ['product', 'reviews'], extensions: { serviceName: 'reviews' } });
  });
});
