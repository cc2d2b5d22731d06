import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-sse';
import jwt from 'jsonwebtoken';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifySignedHeaders } from '../../../common/signing/verifySignature.js';
import { parsePrometheusText } from '../../support/parsePrometheusText.js';
import { startGateway, type RunningGateway } from '../fixtures/startGateway.js';
import { writeSupergraph } from '../fixtures/writeSupergraph.js';
import { startProductsSubgraph, startReviewsSubgraph, type EventSubgraph, type ReviewsSubgraph } from './startEventSubgraphs.js';

const signingSecret = 'subscriptions-signing-secret-0123456789';
const jwtSecret = 'subscriptions-jwt-secret-0123456789';
const subscription = 'subscription OnReview($upc: String) { reviewAdded(productUpc: $upc) { id body product { upc name } } }';

let dir: string;
let reviews: ReviewsSubgraph;
let products: EventSubgraph & { entityRequests: () => number };
let gateway: RunningGateway;
const clients: Client[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'portico-subscriptions-'));
  reviews = await startReviewsSubgraph();
  products = await startProductsSubgraph();
  const supergraphPath = writeSupergraph(dir, [reviews, products]);
  gateway = await startGateway(dir, 'gateway', {
    mode: 'development',
    supergraph: { path: supergraphPath, pollIntervalMs: 50 },
    subgraphSigning: { secret: signingSecret },
    authentication: { mode: 'optional', secret: jwtSecret, requireExpiry: false },
    server: { readyChecksSubgraphs: false },
    metrics: { listener: 'public' },
  });
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await gateway?.stop();
  await reviews?.stop();
  await products?.stop();
});

/** A graphql-sse client (distinct connections mode), unchanged, against the gateway. */
function sseClient(headers: Record<string, string> = {}): Client {
  const client = createClient({ url: `${gateway.origin}/graphql`, retryAttempts: 0, headers, fetchFn: fetch as unknown as typeof globalThis.fetch });
  clients.push(client);
  return client;
}

/** Subscribes and collects what arrives; `done` settles when the subscription ends. */
function collect(client: Client, variables: Record<string, unknown> = {}, query = subscription) {
  const events: { data?: unknown; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] }[] = [];
  let dispose!: () => void;
  const done = new Promise<unknown>((resolve) => {
    dispose = client.subscribe({ query, variables }, { next: (value) => void events.push(value as never), error: resolve, complete: () => resolve(undefined) });
  });
  return { events, done, dispose };
}

// A shared machine is slow: what must happen gets time, and nothing is measured by it.
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 50 });

/** The samples of one metric on /metrics. */
async function metric(name: string) {
  const samples = parsePrometheusText(await (await fetch(`${gateway.origin}/metrics`)).text());
  return samples.filter((sample) => sample.name === name);
}

describe('subscriptions through the gateway', () => {
  it('delivers federated events over SSE (a field from another subgraph resolved per event), over a signed WebSocket upgrade', async () => {
    const sub = collect(sseClient(), { upc: 'p1' });
    await eventually(() => expect(reviews.subscriptionsOpen('p1')).toBe(1));
    reviews.publish({ id: 'r1', body: 'Great', productUpc: 'p1' });
    reviews.publish({ id: 'r2', body: 'Meh', productUpc: 'p1' });
    await eventually(() => expect(sub.events).toHaveLength(2));
    expect(sub.events).toEqual([
      { data: { reviewAdded: { id: 'r1', body: 'Great', product: { upc: 'p1', name: 'Product p1' } } } },
      { data: { reviewAdded: { id: 'r2', body: 'Meh', product: { upc: 'p1', name: 'Product p1' } } } },
    ]);
    // The upgrade is signed with the v2 scheme: GET, the path, the subgraph as audience, an empty body.
    const upgrade = reviews.upgrades.at(-1)!;
    expect(
      verifySignedHeaders({ secret: signingSecret, method: 'GET', path: '/graphql', audience: 'reviews', headers: upgrade, maxAgeMs: 60_000 }),
    ).toMatchObject({
      ok: true,
      body: { length: 0 },
    });
    sub.dispose();
    await eventually(() => expect(reviews.subscriptionsOpen('p1')).toBe(0));
  });

  it('shares one upstream subscription between identical subscriptions, and closes it when the last client leaves', async () => {
    const opened = reviews.subscriptionsOpened();
    const first = collect(sseClient(), { upc: 'shared' });
    const second = collect(sseClient(), { upc: 'shared' });
    await eventually(async () => expect((await metric('portico_subscriptions_active'))[0]?.value).toBe(2));
    await eventually(() => expect(reviews.subscriptionsOpen('shared')).toBe(1));
    expect(reviews.subscriptionsOpened()).toBe(opened + 1);
    expect((await metric('portico_subscription_upstreams'))[0]?.value).toBe(1);
    reviews.publish({ id: 's1', body: 'Both see it', productUpc: 'shared' });
    await eventually(() => expect([first.events.length, second.events.length]).toEqual([1, 1]));
    expect(second.events).toEqual(first.events);
    first.dispose();
    await eventually(async () => expect((await metric('portico_subscriptions_active'))[0]?.value).toBe(1));
    reviews.publish({ id: 's2', body: 'Only the second', productUpc: 'shared' });
    await eventually(() => expect(second.events).toHaveLength(2));
    expect(reviews.subscriptionsOpen('shared')).toBe(1);
    second.dispose();
    await eventually(() => expect(reviews.subscriptionsOpen('shared')).toBe(0));
  });

  it('gives an event whose entity fetch fails an error at its path, and the next event still arrives', async () => {
    const sub = collect(sseClient(), { upc: 'broken' });
    await eventually(() => expect(reviews.subscriptionsOpen('broken')).toBe(1));
    reviews.publish({ id: 'b1', body: 'Broken', productUpc: 'broken' });
    await eventually(() => expect(sub.events).toHaveLength(1));
    expect(sub.events[0]!.data).toEqual({ reviewAdded: { id: 'b1', body: 'Broken', product: { upc: 'broken', name: null } } });
    expect(sub.events[0]!.errors).toEqual([
      expect.objectContaining({ path: ['reviewAdded', 'product', 'name'], extensions: expect.objectContaining({ serviceName: 'products' }) }),
    ]);
    reviews.publish({ id: 'b2', body: 'Fine', productUpc: 'broken' });
    await eventually(() => expect(sub.events).toHaveLength(2));
    expect(sub.events[1]!.data).toMatchObject({ reviewAdded: { id: 'b2', body: 'Fine' } });
    sub.dispose();
    await eventually(() => expect(reviews.subscriptionsOpen('broken')).toBe(0));
  });

  it('applies authorization to every event: a field the caller may not see is null with UNAUTHENTICATED in each', async () => {
    const query = 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id note } }';
    const anonymous = collect(sseClient(), { upc: 'authz' }, query);
    const token = jwt.sign({ sub: 'reader', exp: Math.floor(Date.now() / 1000) + 300 }, jwtSecret, { algorithm: 'HS256' });
    const signedIn = collect(sseClient({ authorization: `Bearer ${token}` }), { upc: 'authz' }, query);
    // Not one upstream: the two ask the subgraph different things, as different callers.
    await eventually(() => expect(reviews.subscriptionsOpen('authz')).toBe(2));
    reviews.publish({ id: 'z1', body: 'x', productUpc: 'authz' });
    reviews.publish({ id: 'z2', body: 'x', productUpc: 'authz' });
    await eventually(() => expect([anonymous.events.length, signedIn.events.length]).toEqual([2, 2]));
    for (const [index, event] of anonymous.events.entries()) {
      expect(event.data).toEqual({ reviewAdded: { id: `z${index + 1}`, note: null } });
      expect(event.errors).toEqual([
        expect.objectContaining({ path: ['reviewAdded', 'note'], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
      ]);
    }
    expect(signedIn.events).toEqual([
      { data: { reviewAdded: { id: 'z1', note: 'for signed-in callers' } } },
      { data: { reviewAdded: { id: 'z2', note: 'for signed-in callers' } } },
    ]);
    anonymous.dispose();
    signedIn.dispose();
    await eventually(() => expect(reviews.subscriptionsOpen('authz')).toBe(0));
  });

  it('refuses a subscription over plain JSON with 406 SUBSCRIPTION_TRANSPORT_REQUIRED', async () => {
    const response = await fetch(`${gateway.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: subscription }),
    });
    expect(response.status).toBe(406);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('SUBSCRIPTION_TRANSPORT_REQUIRED');
  });

  it('delivers to Apollo Client 4 over multipart HTTP subscriptions, unchanged', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${gateway.origin}/graphql`, fetch: fetch as unknown as typeof globalThis.fetch }),
      cache: new InMemoryCache(),
    });
    const received: unknown[] = [];
    const observer = client
      .subscribe({ query: gql(subscription), variables: { upc: 'apollo' } })
      .subscribe({ next: (value) => void received.push(value.data) });
    try {
      await eventually(() => expect(reviews.subscriptionsOpen('apollo')).toBe(1));
      reviews.publish({ id: 'a1', body: 'Via multipart', productUpc: 'apollo' });
      await eventually(() => expect(received).toHaveLength(1));
      expect(received[0]).toMatchObject({ reviewAdded: { id: 'a1', body: 'Via multipart', product: { upc: 'apollo', name: 'Product apollo' } } });
    } finally {
      observer.unsubscribe();
      client.stop();
    }
    await eventually(() => expect(reviews.subscriptionsOpen('apollo')).toBe(0));
  });

  it('reconnects an upstream that drops, and counts the reconnect', async () => {
    const sub = collect(sseClient(), { upc: 'drop' });
    await eventually(() => expect(reviews.subscriptionsOpen('drop')).toBe(1));
    const opened = reviews.subscriptionsOpened();
    reviews.dropConnections();
    await eventually(() => expect(reviews.subscriptionsOpened()).toBe(opened + 1));
    await eventually(() => expect(reviews.subscriptionsOpen('drop')).toBe(1));
    reviews.publish({ id: 'd1', body: 'After the drop', productUpc: 'drop' });
    await eventually(() => expect(sub.events).toHaveLength(1));
    expect(sub.events[0]!.data).toMatchObject({ reviewAdded: { id: 'd1' } });
    const reconnects = await metric('portico_subscription_upstream_reconnects_total');
    expect(reconnects.find((sample) => sample.labels.subgraph === 'reviews')?.value).toBeGreaterThanOrEqual(1);
    sub.dispose();
    await eventually(() => expect(reviews.subscriptionsOpen('drop')).toBe(0));
  });

  it('ends a subscription with UNAUTHENTICATED when the token expires, and passes the identity on the upgrade', async () => {
    const token = jwt.sign({ sub: 'expiring', exp: Math.floor(Date.now() / 1000) + 2 }, jwtSecret, { algorithm: 'HS256' });
    const sub = collect(sseClient({ authorization: `Bearer ${token}` }), { upc: 'expiry' });
    await eventually(() => expect(reviews.upgrades.some((headers) => String(headers['x-portico-identity'] ?? '').includes('expiring'))).toBe(true));
    await sub.done;
    expect(sub.events.at(-1)!.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    await eventually(() => expect(reviews.subscriptionsOpen('expiry')).toBe(0));
  });

  it('on a reload keeps subscriptions that still validate and ends the others with SUBSCRIPTION_SCHEMA_CHANGED', async () => {
    const kept = collect(sseClient(), { upc: 'kept' }, 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id } }');
    const ended = collect(sseClient(), { upc: 'reload' });
    await eventually(() => expect([reviews.subscriptionsOpen('kept'), reviews.subscriptionsOpen('reload')]).toEqual([1, 1]));
    // The same reviews subgraph, Review.body gone from the supergraph.
    const next = mkdtempSync(path.join(dir, 'next-'));
    const withoutBody = parse(
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])
       type Query { latestReviewId: ID }
       type Review { id: ID! product: Product }
       type Product @key(fields: "upc", resolvable: false) { upc: String! }
       type Subscription { reviewAdded(productUpc: String): Review }`,
    );
    renameSync(writeSupergraph(next, [{ ...reviews, typeDefs: withoutBody }, products]), path.join(dir, 'supergraph.graphql'));
    await ended.done;
    expect(ended.events.at(-1)!.errors![0]!.extensions!.code).toBe('SUBSCRIPTION_SCHEMA_CHANGED');
    await eventually(() => expect(reviews.subscriptionsOpen('reload')).toBe(0));
    reviews.publish({ id: 'k1', body: 'Still here', productUpc: 'kept' });
    await eventually(() => expect(kept.events).toEqual([{ data: { reviewAdded: { id: 'k1' } } }]));
    kept.dispose();
  });

  it('opens upstreams over SSE and over multipart when a subgraph is configured so, signed as a POST', async () => {
    // Over SSE to the reviews subgraph; over multipart to the first gateway, standing in for a subgraph that speaks it.
    const overSse = await startGateway(dir, 'sse', {
      mode: 'development',
      supergraph: { path: path.join(dir, 'supergraph.graphql'), watch: false },
      subgraphSigning: { secret: signingSecret },
      subgraphs: { reviews: { subscriptionTransport: 'sse' } },
      server: { readyChecksSubgraphs: false },
    });
    const overMultipart = await startGateway(dir, 'multipart', {
      mode: 'development',
      supergraph: { path: path.join(dir, 'supergraph.graphql'), watch: false },
      subgraphSigning: { secret: signingSecret },
      subgraphs: { reviews: { url: `${gateway.origin}/graphql`, subscriptionTransport: 'multipart' } },
      server: { readyChecksSubgraphs: false },
    });
    try {
      const query = 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id product { name } } }';
      const posts = reviews.ssePosts.length;
      const client = (origin: string) => createClient({ url: `${origin}/graphql`, retryAttempts: 0, fetchFn: fetch as unknown as typeof globalThis.fetch });
      const sseClientOf = client(overSse.origin);
      const multipartClientOf = client(overMultipart.origin);
      clients.push(sseClientOf, multipartClientOf);
      const viaSse = collect(sseClientOf, { upc: 'via-sse' }, query);
      const viaMultipart = collect(multipartClientOf, { upc: 'via-multipart' }, query);
      await eventually(() => expect([reviews.subscriptionsOpen('via-sse'), reviews.subscriptionsOpen('via-multipart')]).toEqual([1, 1]));
      expect(reviews.ssePosts.length).toBe(posts + 1);
      const signed = reviews.ssePosts.at(-1)!;
      expect(signed['x-portico-signature']).toMatch(/^v2=/);
      reviews.publish({ id: 'v1', body: 'x', productUpc: 'via-sse' });
      reviews.publish({ id: 'v2', body: 'x', productUpc: 'via-multipart' });
      await eventually(() =>
        expect([viaSse.events, viaMultipart.events]).toEqual([
          [{ data: { reviewAdded: { id: 'v1', product: { name: 'Product via-sse' } } } }],
          [{ data: { reviewAdded: { id: 'v2', product: { name: 'Product via-multipart' } } } }],
        ]),
      );
      viaSse.dispose();
      viaMultipart.dispose();
      await eventually(() => expect([reviews.subscriptionsOpen('via-sse'), reviews.subscriptionsOpen('via-multipart')]).toEqual([0, 0]));
    } finally {
      await overSse.stop();
      await overMultipart.stop();
    }
  });

  it('holds no admission slot and no request deadline for a stream: queries are served, and late events still get their entity fetches', async () => {
    const tight = await startGateway(dir, 'tight', {
      mode: 'development',
      supergraph: { path: path.join(dir, 'supergraph.graphql'), watch: false },
      subgraphSigning: { secret: signingSecret },
      server: { readyChecksSubgraphs: false, requestTimeoutMs: 1000, admission: { maxConcurrent: 1, maxQueue: 0 } },
    });
    try {
      const client = createClient({ url: `${tight.origin}/graphql`, retryAttempts: 0, fetchFn: fetch as unknown as typeof globalThis.fetch });
      clients.push(client);
      const query = 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id product { name } } }';
      const subs = [collect(client, { upc: 'tight' }, query), collect(client, { upc: 'tight' }, query)];
      await eventually(() => expect(reviews.subscriptionsOpen('tight')).toBe(1));
      // One slot, no queue: were a stream holding the slot, this would be refused with OVERLOADED.
      const answer = await fetch(`${tight.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ product(upc: "q") { name } }' }),
      });
      expect(await answer.json()).toEqual({ data: { product: { name: 'Product q' } } });
      // Past the request's deadline: the event's entity fetch has a deadline of its own.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      reviews.publish({ id: 't1', body: 'late', productUpc: 'tight' });
      await eventually(() =>
        expect(subs.map((sub) => sub.events)).toEqual([
          [{ data: { reviewAdded: { id: 't1', product: { name: 'Product tight' } } } }],
          [{ data: { reviewAdded: { id: 't1', product: { name: 'Product tight' } } } }],
        ]),
      );
      for (const sub of subs) sub.dispose();
      await eventually(() => expect(reviews.subscriptionsOpen('tight')).toBe(0));
    } finally {
      await tight.stop();
    }
  });

  it('on stop ends every subscription with GATEWAY_STOPPING and closes its upstreams', async () => {
    const stopping = await startGateway(dir, 'stopping', {
      mode: 'development',
      supergraph: { path: path.join(dir, 'supergraph.graphql'), watch: false },
      subgraphSigning: { secret: signingSecret },
      server: { readyChecksSubgraphs: false, drainDelayMs: 0 },
    });
    const client = createClient({ url: `${stopping.origin}/graphql`, retryAttempts: 0, fetchFn: fetch as unknown as typeof globalThis.fetch });
    clients.push(client);
    const sub = collect(client, { upc: 'stopping' }, 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id } }');
    await eventually(() => expect(reviews.subscriptionsOpen('stopping')).toBe(1));
    await stopping.stop();
    await sub.done;
    expect(sub.events.at(-1)!.errors![0]!.extensions!.code).toBe('GATEWAY_STOPPING');
    await eventually(() => expect(reviews.subscriptionsOpen('stopping')).toBe(0));
  });
});
