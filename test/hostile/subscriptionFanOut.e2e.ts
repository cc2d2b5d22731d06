import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { EventSubgraph, ReviewsSubgraph } from '../gateway/subscriptions/startEventSubgraphs.js';
import { postRaw } from './support/expectRefused.js';
import { startEventTarget, type EventTarget } from './support/startEventTarget.js';
import type { Target } from './support/startTarget.js';

// Many graphql-ws clients on one upstream subscription: each event's entity fetches are made once
// for all of them (counted at the products subgraph), every client gets every event in order, and
// clients that come and go by the thousand cost nothing lasting and disturb no one.
const subscription = 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id body product { name } } }';
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 60_000, interval: 100 });
const CLIENTS = 300;

let stack: EventTarget;
let target: Target;
let reviews: ReviewsSubgraph;
let products: EventSubgraph & { entityRequests: () => number };
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startEventTarget('fanout', {
    server: { websocket: { maxConnectionsPerAddress: 1000 } },
    // Every client here comes from 127.0.0.1, and subscribes and completes by the thousand.
    rateLimit: { perAddress: { windowSeconds: 60, limit: 1_000_000, maxConnections: 0, maxInFlight: 0 }, default: { windowSeconds: 60, limit: 1_000_000 } },
    upstream: { maxSubscriptionsPerAddress: 10_000 },
  });
  ({ target, reviews, products } = stack);
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await stack?.close();
});

const connect = (): Client => {
  const client = createClient({ url: `${target.origin.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  clients.push(client);
  return client;
};

/** Subscribes on `client`; the ids of the events it gets, and any error. */
function follow(client: Client, upc: string) {
  const ids: string[] = [];
  const errors: unknown[] = [];
  const probed = { value: false };
  const stop = client.subscribe(
    { query: subscription, variables: { upc } },
    {
      next: (result) => {
        const review = result.data?.reviewAdded as { id: string; product: { name: string } | null } | undefined;
        if (review?.product?.name !== `Product ${upc}`) errors.push(result);
        else if (review.id.startsWith('probe')) probed.value = true;
        else ids.push(review.id);
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  return { ids, errors, stop, probed: () => probed.value };
}

describe('subscription fan-out under many and hostile clients', () => {
  it(`makes one entity fetch per event for ${CLIENTS} graphql-ws clients on one upstream, and each gets every event in order`, async () => {
    const followers = Array.from({ length: CLIENTS }, () => follow(connect(), 'many'));
    await eventually(() => expect(reviews.subscriptionsOpen('many')).toBe(1));
    // Each subscription is set up in its own time, and gets the events after: probes until every one has had one.
    await eventually(() => {
      reviews.publish({ id: 'probe', body: 'p', productUpc: 'many' });
      expect(followers.filter((follower) => follower.probed())).toHaveLength(CLIENTS);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const fetchesBefore = products.entityRequests();
    const sent = Array.from({ length: 10 }, (_, index) => `e${index}`);
    for (const id of sent) reviews.publish({ id, body: 'x', productUpc: 'many' });
    await eventually(() => expect(followers.filter((follower) => follower.ids.length === sent.length)).toHaveLength(CLIENTS));
    for (const follower of followers) {
      expect(follower.ids).toEqual(sent);
      expect(follower.errors).toEqual([]);
    }
    // One run per event (de-duplication of identical fetches in flight may make it fewer), not one per client.
    expect(products.entityRequests() - fetchesBefore).toBeLessThanOrEqual(sent.length);
    for (const follower of followers) follower.stop();
    await eventually(() => expect(reviews.subscriptionsOpen('many')).toBe(0));
  }, 180_000);

  it('survives thousands of subscribe/complete cycles on one upstream: memory bounded, every upstream released, a steady reader unaffected', async () => {
    const reader = follow(connect(), 'cycle');
    await eventually(() => expect(reviews.subscriptionsOpen('cycle')).toBe(1));
    const churners = Array.from({ length: 10 }, () => connect());
    const before = target.rssBytes();
    let published = 0;
    for (let round = 0; round < 200; round += 1) {
      // Each of ten connections subscribes and completes at once (the complete may overtake the set-up)…
      const cycles = churners.map((client) => follow(client, 'cycle'));
      if (round % 2 === 0) for (const cycle of cycles) cycle.stop();
      // …or while an event is being resolved for everyone.
      reviews.publish({ id: `c${published}`, body: 'y', productUpc: 'cycle' });
      published += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const cycle of cycles) cycle.stop();
    }
    // 2,000 subscriptions came and went; the reader got every event, in order, and nothing else.
    await eventually(() => expect(reader.ids).toHaveLength(published));
    expect(reader.ids).toEqual(Array.from({ length: published }, (_, index) => `c${index}`));
    expect(reader.errors).toEqual([]);
    await eventually(() => expect(reviews.subscriptionsOpen('cycle')).toBe(1));
    expect(target.rssBytes() - before).toBeLessThan(64 * 1024 * 1024);
    expect(target.alive(), target.output()).toBe(true);
    reader.stop();
    await eventually(() => expect(reviews.subscriptionsOpen('cycle')).toBe(0));
    const reply = await postRaw(target, { query: '{ product(upc: "ok") { name } }' });
    expect(reply.body).toEqual({ data: { product: { name: 'Product ok' } } });
  }, 240_000);
});
