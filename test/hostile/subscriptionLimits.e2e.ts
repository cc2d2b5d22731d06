import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReviewsSubgraph } from '../gateway/subscriptions/startEventSubgraphs.js';
import { expectRefused, postRaw } from './support/expectRefused.js';
import { startEventTarget, type EventTarget } from './support/startEventTarget.js';
import type { Target } from './support/startTarget.js';

// Subscriptions over HTTP streams are limited as WebSocket connections are: per client address
// (resolved through the trusted proxy, here the test itself) and in all, checked before any
// upstream is opened. Small limits make them cheap to reach.
const subscription = 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id body product { name } } }';
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 100 });
const PER_ADDRESS = 3;
const UPSTREAMS = 4;

let stack: EventTarget;
let target: Target;
let reviews: ReviewsSubgraph;

beforeAll(async () => {
  stack = await startEventTarget('subscription-limits', {
    rateLimit: { trustedProxies: ['127.0.0.1', '::1'] },
    upstream: { maxSubscriptionsPerAddress: PER_ADDRESS, maxSubscriptionUpstreams: UPSTREAMS },
  });
  ({ target, reviews } = stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** A raw SSE subscription from `address` (as the trusted proxy says), on its own socket: its events counted. */
function openFrom(address: string, upc: string): { socket: net.Socket; received: () => string; events: () => number } {
  const body = JSON.stringify({ query: subscription, variables: { upc } });
  const socket = net.connect(Number(new URL(target.origin).port), '127.0.0.1');
  socket.on('error', () => {});
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('utf8');
  });
  socket.write(
    `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nx-forwarded-for: ${address}\r\ncontent-type: application/json\r\naccept: text/event-stream\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  return { socket, received: () => received, events: () => received.split('event: next').length - 1 };
}

const subscribeOnce = (address: string, upc: string, accept = 'text/event-stream') =>
  postRaw(target, { query: subscription, variables: { upc } }, { accept, 'x-forwarded-for': address });

describe('subscription limits under hostile clients', () => {
  it('refuses one address past its limit with 429 RATE_LIMITED over SSE and multipart, opening nothing; another address still subscribes', async () => {
    const held = Array.from({ length: PER_ADDRESS }, () => openFrom('203.0.113.1', 'capped'));
    try {
      await eventually(() => expect(held.filter((client) => client.received().includes(' 200 '))).toHaveLength(PER_ADDRESS));
      await eventually(() => expect(reviews.subscriptionsOpen('capped')).toBe(1));
      for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec="1.0"']) {
        // A distinct upc each: were the limit checked after joining, each would open an upstream.
        for (let index = 0; index < 5; index += 1) {
          const reply = await subscribeOnce('203.0.113.1', `over-${index}`, accept);
          expectRefused(reply, ['RATE_LIMITED']);
          expect(reply.status).toBe(429);
        }
      }
      expect(reviews.subscriptionsOpen('over-0')).toBe(0);
      expect(reviews.subscriptionsOpen('capped')).toBe(1);
      // Another address is unaffected, and gets its event.
      const other = openFrom('203.0.113.2', 'other');
      try {
        await eventually(() => expect(reviews.subscriptionsOpen('other')).toBe(1));
        reviews.publish({ id: 'o1', body: 'x', productUpc: 'other' });
        await eventually(() => expect(other.events()).toBe(1));
      } finally {
        other.socket.destroy();
      }
      expect(target.alive(), target.output()).toBe(true);
    } finally {
      for (const client of held) client.socket.destroy();
    }
    // Leaving gives the address its room back.
    await eventually(() => expect(reviews.subscriptionsOpen('capped')).toBe(0));
    const again = openFrom('203.0.113.1', 'again');
    try {
      await eventually(() => expect(reviews.subscriptionsOpen('again')).toBe(1));
    } finally {
      again.socket.destroy();
    }
    await eventually(() => expect(reviews.subscriptionsOpen()).toBe(0));
  });

  it('refuses a subscription that needs one upstream past the limit with 503 OVERLOADED; one sharing an open upstream still subscribes', async () => {
    // Distinct variables from distinct addresses: each needs its own upstream.
    const held = Array.from({ length: UPSTREAMS }, (_, index) => openFrom(`198.51.100.${index + 1}`, `up-${index}`));
    try {
      await eventually(() => expect(reviews.subscriptionsOpen()).toBe(UPSTREAMS));
      const refused = await subscribeOnce('198.51.100.200', 'up-one-more');
      expect(refused.status, JSON.stringify(refused.body)).toBe(503);
      expect(refused.body?.errors?.[0]?.extensions?.code).toBe('OVERLOADED');
      expect(reviews.subscriptionsOpen('up-one-more')).toBe(0);
      const sharing = openFrom('198.51.100.201', 'up-0');
      try {
        await eventually(() => expect(sharing.received()).toContain(' 200 '));
        reviews.publish({ id: 'u1', body: 'x', productUpc: 'up-0' });
        await eventually(() => expect(sharing.events()).toBe(1));
      } finally {
        sharing.socket.destroy();
      }
      expect(target.alive(), target.output()).toBe(true);
    } finally {
      for (const client of held) client.socket.destroy();
    }
    await eventually(() => expect(reviews.subscriptionsOpen()).toBe(0));
  });
});
