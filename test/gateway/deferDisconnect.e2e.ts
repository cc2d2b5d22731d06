import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';

// A client that goes away in the middle of a deferred answer: what is in flight for it is
// aborted, and no part after it starts (its subgraph calls are never made).
let shop: Shop;
let gateway: RunningGateway;

beforeAll(async () => {
  shop = await startShop();
  gateway = await startGateway(shop.dir, 'defer-disconnect', { mode: 'development', supergraph: { path: shop.supergraphPath } });
});

afterAll(async () => {
  releaseSlowFields();
  await gateway?.stop();
  await shop?.stop();
});

/** Sends the operation asking for multipart, resolves with the first part's text, and leaves the response open (`close` hangs up). */
function firstPart(query: string): Promise<{ text: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = request(`${gateway.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed;deferSpec=20220824,application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        // The first part is complete once the delimiter after it has arrived.
        if (text.indexOf('\r\n---\r\n', 1) > 0) resolve({ text, close: () => req.destroy() });
      });
      res.on('error', () => {});
    });
    req.on('error', (error) => reject(error));
    req.end(body);
  });
}

describe('@defer: a client gone mid-stream', () => {
  it('aborts the part in flight and never starts the nested part that would have followed', async () => {
    const query =
      '{ topProducts(first: 1) { upc } ... @defer(label: "slow") { slowField(tag: "gone") topProducts(first: 1) { upc ... @defer(label: "later") { reviews { body } } } } }';
    const { text, close } = await firstPart(query);
    expect(text).toContain('{"data":{"topProducts":[{"upc":"1"}]},"hasNext":true}');
    await vi.waitFor(() => expect(pendingSlowFields('gone')).toBe(1));
    const reviewsAsked = shop.reviews.requestIds.length;
    close();
    // The gateway notices (its request closes), then the slow field answers anyway.
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseSlowFields();
    // A whole request later, the nested part would long have asked the reviews subgraph.
    const after = await postGraphQL(gateway.origin, { query: '{ topProducts(first: 1) { upc reviews { body } } }' });
    expect(after.response.status).toBe(200);
    expect(shop.reviews.requestIds.length).toBe(reviewsAsked + 1);
  });

  it('delivers the same nested answer to a client that stays', async () => {
    const query =
      '{ topProducts(first: 1) { upc } ... @defer(label: "slow") { slowField(tag: "stays") topProducts(first: 1) { upc ... @defer(label: "later") { reviews { body } } } } }';
    const pending = fetch(`${gateway.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed;deferSpec=20220824,application/json' },
      body: JSON.stringify({ query }),
    });
    await vi.waitFor(() => expect(pendingSlowFields('stays')).toBe(1));
    releaseSlowFields();
    const text = await (await pending).text();
    expect(text).toContain('"label":"slow"');
    expect(text).toContain('"label":"later"');
    expect(text.endsWith('\r\n-----\r\n')).toBe(true);
  });
});
