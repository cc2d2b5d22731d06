import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signRequest } from '../../common/signing/signRequest.js';
import { postSigned } from '../support/startStack.js';
import { testSigningSecret } from '../support/startSubgraphs.js';
import { startDemoBackends, type DemoBackends } from '../support/startDemoBackends.js';
import { startInventory, startReviews, type RunningEventSubgraph } from './support/startEventSubgraphs.js';
import { signedUpgradeHeaders, subscribeMultipart, subscribeSse, subscribeWs, wsClient } from './support/subscriptionClients.js';

// The subgraphs' event sources, through each transport, as the gateway reaches them: signed.
let backends: DemoBackends;
let reviews: Awaited<ReturnType<typeof startReviews>>;
let inventory: RunningEventSubgraph;

beforeAll(async () => {
  backends = await startDemoBackends();
  reviews = await startReviews(backends);
  inventory = await startInventory(backends);
});
afterAll(async () => {
  await reviews?.close();
  await inventory?.close();
  await backends?.close();
});

const reviewAdded = 'subscription($upc: String) { reviewAdded(productUpc: $upc) { id body rating author { id } product { upc } } }';
const createReview = 'mutation($input: CreateReviewInput!) { createReview(input: $input) { id body rating author { id } product { upc } } }';
const asReviews = { audience: 'reviews' };
const asInventory = { audience: 'inventory' };

// Writes a review as user 7, as the gateway would send the mutation.
async function writeReview(productUpc: string, body: string) {
  const reply = await postSigned(reviews.url, createReview, { input: { productUpc, body, rating: 4 } }, { audience: 'reviews', identity: { sub: '7' } });
  expect(reply.errors).toBeUndefined();
  return reply.data!.createReview as { id: string };
}

describe('reviewAdded', () => {
  it('reaches a WebSocket subscriber after createReview, with the review as written', async () => {
    const client = wsClient(reviews.url, asReviews);
    const before = reviews.events.subscriptions();
    const events = subscribeWs(client, reviewAdded);
    await reviews.events.waitForSubscriptions(before + 1);
    const written = await writeReview('3', 'over WebSocket');
    expect(await events.next()).toEqual({
      data: { reviewAdded: { id: written.id, body: 'over WebSocket', rating: 4, author: { id: '7' }, product: { upc: '3' } } },
    });
    events.close();
    await client.dispose();
  });

  it('reaches an SSE subscriber (distinct connections mode)', async () => {
    const before = reviews.events.subscriptions();
    const events = await subscribeSse(reviews.url, reviewAdded, undefined, asReviews);
    expect(events.status).toBe(200);
    await reviews.events.waitForSubscriptions(before + 1);
    const written = await writeReview('4', 'over SSE');
    expect((await events.next()).data).toEqual({ reviewAdded: { id: written.id, body: 'over SSE', rating: 4, author: { id: '7' }, product: { upc: '4' } } });
    events.close();
  });

  it("reaches a subscriber of Apollo's multipart protocol, which gets heartbeats", async () => {
    const before = reviews.events.subscriptions();
    const events = await subscribeMultipart(reviews.url, reviewAdded, undefined, asReviews);
    expect(events.status).toBe(200);
    expect(events.contentType).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    await reviews.events.waitForSubscriptions(before + 1);
    const written = await writeReview('5', 'over multipart');
    expect((await events.next()).data).toEqual({
      reviewAdded: { id: written.id, body: 'over multipart', rating: 4, author: { id: '7' }, product: { upc: '5' } },
    });
    expect(events.heartbeats()).toBeGreaterThanOrEqual(1);
    events.close();
  });

  it('gives a subscriber with productUpc only that product’s reviews', async () => {
    const client = wsClient(reviews.url, asReviews);
    const before = reviews.events.subscriptions();
    const ofTen = subscribeWs(client, reviewAdded, { upc: '10' });
    const ofEleven = subscribeWs(client, reviewAdded, { upc: '11' });
    await reviews.events.waitForSubscriptions(before + 2);
    await writeReview('11', 'for eleven');
    await writeReview('10', 'for ten');
    expect(((await ofTen.next()).data?.reviewAdded as { body: string }).body).toBe('for ten');
    expect(((await ofEleven.next()).data?.reviewAdded as { body: string }).body).toBe('for eleven');
    ofTen.close();
    ofEleven.close();
    await client.dispose();
  });

  it('refuses a productUpc the loaders would refuse, before subscribing', async () => {
    const before = reviews.events.subscriptions();
    const events = await subscribeSse(reviews.url, reviewAdded, { upc: 'x'.repeat(300) }, asReviews);
    const result = await events.next();
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await events.done).toEqual({});
    expect(reviews.events.subscriptions()).toBe(before);
  });

  it('runs every operation of a WebSocket as the identity of its signed upgrade', async () => {
    const client = wsClient(reviews.url, { audience: 'reviews', identity: { sub: '42' } });
    const reply = subscribeWs(client, createReview, { input: { productUpc: '6', body: 'as 42', rating: 5 } });
    expect(((await reply.next()).data?.createReview as { author: { id: string } }).author).toEqual({ id: '42' });
    await client.dispose();
  });

  it('answers a document the schema cannot run with errors, on every transport', async () => {
    const sse = await subscribeSse(reviews.url, 'subscription { nope }', undefined, asReviews);
    expect(sse.status).toBe(400);
    const multipart = await subscribeMultipart(reviews.url, 'subscription {', undefined, asReviews);
    expect(multipart.status).toBe(400);
    const client = wsClient(reviews.url, asReviews);
    const ws = subscribeWs(client, 'subscription { nope }');
    const ended = (await ws.done).error as Array<{ extensions?: { code?: string } }>;
    expect(ended[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    await client.dispose();
  });
});

describe('WebSocket upgrades', () => {
  // The status an upgrade is answered with, or 101 when it is accepted.
  function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
      socket.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        socket.terminate();
      });
      socket.once('open', () => {
        resolve(101);
        socket.close();
      });
      socket.once('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
    });
  }

  it('accepts a signed upgrade and refuses an unsigned, forged, replayed, misdirected or body-signed one with 401', async () => {
    expect(await upgradeStatus(reviews.url, signedUpgradeHeaders(reviews.url, asReviews))).toBe(101);
    expect(await upgradeStatus(reviews.url, {})).toBe(401);
    expect(await upgradeStatus(reviews.url, signedUpgradeHeaders(reviews.url, asReviews, 'another-secret-0123456789'))).toBe(401);
    const once = signedUpgradeHeaders(reviews.url, asReviews);
    expect(await upgradeStatus(reviews.url, once)).toBe(101);
    expect(await upgradeStatus(reviews.url, once)).toBe(401);
    expect(await upgradeStatus(reviews.url, signedUpgradeHeaders(reviews.url, asInventory))).toBe(401);
    // An upgrade has no body: one signed with a body's digest is refused too.
    const withBody = signRequest(testSigningSecret, { method: 'GET', path: '/graphql', audience: 'reviews', body: 'x', headers: {} });
    expect(await upgradeStatus(reviews.url, withBody)).toBe(401);
    const forged = { ...signedUpgradeHeaders(reviews.url, asReviews, undefined), 'x-portico-identity': '{"sub":"1","scopes":["inventory:write"],"claims":{}}' };
    expect(await upgradeStatus(reviews.url, forged)).toBe(401);
  });

  it('accepts an unsigned upgrade, as anonymous, when signing is off (development), but never a forged one', async () => {
    const open = await startReviews(backends, { requireSignature: false });
    try {
      expect(await upgradeStatus(open.url, {})).toBe(101);
      expect(await upgradeStatus(open.url, signedUpgradeHeaders(open.url, asReviews, 'another-secret-0123456789'))).toBe(401);
      // Identity headers without a signature are not believed: the caller is anonymous.
      const client = wsClient(open.url, undefined);
      const reply = subscribeWs(client, createReview, { input: { productUpc: '6', body: 'anonymous', rating: 5 } });
      expect((await reply.next()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      await client.dispose();
    } finally {
      await open.close();
    }
  });

  it('refuses an upgrade elsewhere than the GraphQL path with 404', async () => {
    expect(await upgradeStatus(reviews.url.replace('/graphql', '/other'), signedUpgradeHeaders(reviews.url.replace('/graphql', '/other'), asReviews))).toBe(
      404,
    );
  });

  it('drops a peer that does not answer pings', async () => {
    const quick = await startReviews(backends, { streaming: { keepAliveMs: 100 } });
    try {
      const socket = new WebSocket(quick.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
        headers: signedUpgradeHeaders(quick.url, asReviews),
        autoPong: false,
      });
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      // 1006: the server terminated the connection without a close frame, as for a dead peer.
      expect(await closed).toBe(1006);
    } finally {
      await quick.close();
    }
  });
});

describe('stopping', () => {
  it('closes WebSockets with 1001 and ends SSE and multipart streams cleanly', async () => {
    const draining = await startReviews(backends);
    const socket = new WebSocket(draining.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: signedUpgradeHeaders(draining.url, asReviews) });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    const sse = await subscribeSse(draining.url, reviewAdded, undefined, asReviews);
    const multipart = await subscribeMultipart(draining.url, reviewAdded, undefined, asReviews);
    await draining.events.waitForSubscriptions(2);
    await draining.close();
    expect(await closed).toBe(1001);
    expect(await sse.done).toEqual({});
    expect(await multipart.done).toEqual({});
  });
});

describe('stockChanged', () => {
  const stockChanged = 'subscription($upcs: [String!]!) { stockChanged(upcs: $upcs) { upc inStock quantity } }';
  const setStock = 'mutation($upc: String!, $quantity: Int!) { setStock(upc: $upc, quantity: $quantity) { upc inStock quantity } }';
  const staff = { audience: 'inventory', identity: { sub: '1', scopes: ['inventory:write'] } };

  // Waits until the inventory service has opened this many WatchStock streams since the last reset.
  async function watchStreams(count: number) {
    while (((await backends.counts()).inventory.WatchStock ?? 0) < count) await sleep(10);
  }

  it('arrives through the gRPC stream after the staff mutation, on every transport', async () => {
    await backends.resetCounts();
    const client = wsClient(inventory.url, asInventory);
    const ws = subscribeWs(client, stockChanged, { upcs: ['20', '21'] });
    const sse = await subscribeSse(inventory.url, stockChanged, { upcs: ['21'] }, asInventory);
    const multipart = await subscribeMultipart(inventory.url, stockChanged, { upcs: ['21', '22'] }, asInventory);
    await watchStreams(3);
    const reply = await postSigned(inventory.url, setStock, { upc: '21', quantity: 0 }, staff);
    expect(reply.data).toEqual({ setStock: { upc: '21', inStock: false, quantity: 0 } });
    const expected = { data: { stockChanged: { upc: '21', inStock: false, quantity: 0 } } };
    expect(await ws.next()).toEqual(expected);
    expect(await sse.next()).toEqual(expected);
    expect(await multipart.next()).toEqual(expected);
    await postSigned(inventory.url, setStock, { upc: '20', quantity: 7 }, staff);
    expect(await ws.next()).toEqual({ data: { stockChanged: { upc: '20', inStock: true, quantity: 7 } } });
    for (const stream of [ws, sse, multipart]) stream.close();
    await client.dispose();
  });

  it('refuses setStock without the staff scope, and anonymously', async () => {
    const withoutScope = await postSigned(
      inventory.url,
      setStock,
      { upc: '21', quantity: 3 },
      { audience: 'inventory', identity: { sub: '1', scopes: ['catalog:write'] } },
    );
    expect(withoutScope.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await postSigned(inventory.url, setStock, { upc: '21', quantity: 3 }, asInventory);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const outOfRange = await postSigned(inventory.url, setStock, { upc: '21', quantity: -1 }, staff);
    expect(outOfRange.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses too many upcs, or an overlong one, before opening a stream', async () => {
    await backends.resetCounts();
    const tooMany = await subscribeSse(inventory.url, stockChanged, { upcs: Array.from({ length: 101 }, (_, i) => String(i)) }, asInventory);
    expect((await tooMany.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const overlong = await subscribeSse(inventory.url, stockChanged, { upcs: ['1', 'x'.repeat(257)] }, asInventory);
    expect((await overlong.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await backends.counts()).inventory.WatchStock).toBeUndefined();
  });

  it('ends the subscription with the backend’s refusal for an unknown product', async () => {
    const unknown = await subscribeSse(inventory.url, stockChanged, { upcs: ['no-such-product'] }, asInventory);
    const result = await unknown.next();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', backend: 'inventory' });
    expect(await unknown.done).toEqual({});
  });
});
