import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { reviewAddedChannel } from '../../subgraphs/reviews/reviewEvents.js';
import { signedUpgradeHeaders, subscribeSse, subscribeWs, wsClient } from '../subgraphs/support/subscriptionClients.js';
import { startDemoBackends, type DemoBackends } from '../support/startDemoBackends.js';
import { runEntryProcess, type EntryProcess } from '../support/runEntryProcess.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { postSigned, signedHeaders } from '../support/startStack.js';
import { testSigningSecret } from '../support/startSubgraphs.js';
import { expectRefused, send } from './support/expectRefused.js';

// The subgraphs' event sources under hostile input, as real processes in production mode (every
// call signed, REDIS_URL set): garbage and oversized WebSocket frames, floods of subscribe
// messages, forged upgrades, garbage on the Redis channel, huge lists of UPCs. Each time the
// process stays up, the caller gets a clean refusal, and another subscriber is unaffected.
let redis: RunningRedis;
let backends: DemoBackends;
let reviews: EntryProcess & { url: string };
let inventory: EntryProcess & { url: string };

async function startSubgraph(entry: string, env: Record<string, string>) {
  const process = runEntryProcess(entry, [], {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    PORTICO_SIGNING_SECRET: testSigningSecret,
    REDIS_URL: redis.url,
    ...env,
  });
  return { ...process, url: `http://127.0.0.1:${await process.port}/graphql` };
}

beforeAll(async () => {
  redis = await startRedis();
  backends = await startDemoBackends();
  reviews = await startSubgraph('subgraphs/reviews/index.ts', { REVIEWS_SERVICE_URL: backends.reviewsUrl });
  inventory = await startSubgraph('subgraphs/inventory/index.ts', { INVENTORY_SERVICE_ADDRESS: backends.inventoryAddress });
}, 60_000);
afterAll(async () => {
  for (const subgraph of [reviews, inventory]) {
    subgraph?.child.kill('SIGTERM');
    await subgraph?.exited;
  }
  await backends?.close();
  await redis?.stop();
});

const alive = (subgraph: EntryProcess) => subgraph.child.exitCode === null && subgraph.child.signalCode === null;
const reviewAdded = 'subscription($upc: String) { reviewAdded(productUpc: $upc) { id body } }';
const asReviews = { audience: 'reviews' };

// Another client is unaffected: a subscriber still gets the next review written.
async function expectReviewsStillServing(): Promise<void> {
  expect(alive(reviews), reviews.output()).toBe(true);
  const upc = String(100 + Math.floor(Math.random() * 300));
  const events = await subscribeSse(reviews.url, reviewAdded, { upc }, asReviews);
  expect(events.status).toBe(200);
  // The subscription is in place once the stream is open; the review may still race it, so write until one arrives.
  const arrived = events.next();
  let written = false;
  const writer = (async () => {
    while (!written) {
      await postSigned(
        reviews.url,
        'mutation($upc: String!) { createReview(input: { productUpc: $upc, body: "still", rating: 3 }) { id } }',
        { upc },
        {
          audience: 'reviews',
          identity: { sub: '2' },
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  expect((await arrived).data).toEqual({ reviewAdded: { id: expect.any(String), body: 'still' } });
  written = true;
  await writer;
  events.close();
}

/** A signed, open graphql-transport-ws socket, and what it received. */
async function openSocket(url: string, audience: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: signedUpgradeHeaders(url, { audience }) });
  const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
  socket.on('message', (data) => {
    try {
      messages.push(JSON.parse(String(data)));
    } catch {
      messages.push({ type: 'unparsable' });
    }
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
  });
  return { socket, messages, closed };
}

describe('WebSocket frames', () => {
  it('closes a connection that sends an oversized frame (1009), and no one else notices', async () => {
    const { socket, closed } = await openSocket(reviews.url, 'reviews');
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    await expectReviewsStillServing();
  });

  it('closes a connection on garbage with a protocol code, never crashing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }),
          fc.json({ maxDepth: 4 }),
          fc
            .record({ type: fc.constantFrom('subscribe', 'connection_init', 'complete', 'ping', 'next'), id: fc.anything(), payload: fc.anything() })
            .map((value) => JSON.stringify(value)),
        ),
        async (frame) => {
          const { socket, closed, messages } = await openSocket(reviews.url, 'reviews');
          socket.send(frame);
          // A frame the protocol allows before init (ping) is answered; anything else closes it.
          const code = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(0), 500))]);
          if (code === 0) socket.terminate();
          else expect([1000, 4400, 4401, 4409, 4429, 4403, 1009]).toContain(code);
          expect(messages.every((message) => message.type !== 'unparsable')).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
    expect(alive(reviews), reviews.output()).toBe(true);
    await expectReviewsStillServing();
  });

  it('answers thousands of subscribe messages on one connection up to its limit, then with errors', async () => {
    const { socket, messages, closed } = await openSocket(reviews.url, 'reviews');
    socket.send(JSON.stringify({ type: 'connection_init' }));
    while (!messages.some((message) => message.type === 'connection_ack')) await new Promise((resolve) => setTimeout(resolve, 10));
    const count = 3000;
    for (let id = 0; id < count; id += 1) socket.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query: reviewAdded } }));
    // Past 1,000 operations at once, each further subscribe is answered with an error.
    while (messages.filter((message) => message.type === 'error').length < count - 1000) await new Promise((resolve) => setTimeout(resolve, 20));
    const refusal = messages.find((message) => message.type === 'error')!.payload as Array<{ extensions: { code: string } }>;
    expect(refusal[0]!.extensions.code).toBe('BAD_REQUEST');
    // An id used twice is the protocol's own error: the connection is closed with 4409.
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: reviewAdded } }));
    expect(await closed).toBe(4409);
    await expectReviewsStillServing();
  });

  it('refuses unsigned and forged upgrades with 401 before accepting them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          'x-portico-signature': fc.oneof(fc.constant('v2=' + '0'.repeat(64)), fc.string({ maxLength: 80 })),
          'x-portico-timestamp': fc.oneof(fc.constant(String(Date.now())), fc.string({ maxLength: 20 })),
          'x-portico-nonce': fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/),
          'x-portico-identity': fc.json({ maxDepth: 2 }),
        }),
        async (headers) => {
          const safe = Object.fromEntries(Object.entries(headers).filter(([, value]) => /^[\t\x20-\x7e]*$/.test(value)));
          const status = await new Promise<number>((resolve) => {
            const socket = new WebSocket(reviews.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: safe });
            socket.once('unexpected-response', (_req, res) => {
              resolve(res.statusCode ?? 0);
              socket.terminate();
            });
            socket.once('open', () => resolve(101));
            socket.on('error', () => {});
          });
          expect(status).toBe(401);
        },
      ),
      { numRuns: 40 },
    );
    expect(alive(reviews), reviews.output()).toBe(true);
  });
});

describe('the Redis channel', () => {
  it('skips malformed messages and keeps delivering', async () => {
    const publisher = new Redis(redis.url);
    try {
      const garbage = ['', 'not json', '{', '[1,2]', 'null', '{"__proto__": {"polluted": true}}', JSON.stringify({ id: 1 }), 'y'.repeat(200_000)];
      for (const message of garbage) await publisher.publish(reviewAddedChannel, message);
      await publisher.publish(reviewAddedChannel, Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    } finally {
      publisher.disconnect();
    }
    await expectReviewsStillServing();
    expect(reviews.output()).toContain('skipped an event message');
  });
});

describe('stockChanged with a huge list of UPCs', () => {
  const stockChanged = 'subscription($upcs: [String!]!) { stockChanged(upcs: $upcs) { upc inStock } }';

  it('refuses it over SSE and multipart before opening any stream to the inventory service', async () => {
    await backends.resetCounts();
    const upcs = Array.from({ length: 100_000 }, (_, index) => String(index));
    const body = JSON.stringify({ query: stockChanged, variables: { upcs } });
    for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec="1.0"']) {
      const response = await fetch(inventory.url, {
        method: 'POST',
        headers: { ...signedHeaders(inventory.url, body, { audience: 'inventory' }), accept },
        body,
      });
      const text = await response.text();
      expect(response.status).toBeLessThan(500);
      expect(text).toContain('BAD_USER_INPUT');
      expect(text).not.toMatch(/\n\s+at /);
    }
    const long = JSON.stringify({ query: stockChanged, variables: { upcs: Array.from({ length: 50 }, () => 'u'.repeat(10_000)) } });
    const reply = await fetch(inventory.url, {
      method: 'POST',
      headers: { ...signedHeaders(inventory.url, long, { audience: 'inventory' }), accept: 'text/event-stream' },
      body: long,
    });
    expect(await reply.text()).toContain('BAD_USER_INPUT');
    expect((await backends.counts()).inventory.WatchStock).toBeUndefined();
    expect(alive(inventory), inventory.output()).toBe(true);
  });

  it('closes a WebSocket whose subscribe message is larger than the limit', async () => {
    const { socket, closed } = await openSocket(inventory.url, 'inventory');
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const upcs = Array.from({ length: 200_000 }, (_, index) => String(index));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: stockChanged, variables: { upcs } } }));
    expect(await closed).toBe(1009);
    const client = wsClient(inventory.url, { audience: 'inventory' });
    const small = subscribeWs(client, stockChanged, { upcs: Array.from({ length: 101 }, (_, index) => String(index)) });
    expect((await small.next()).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await client.dispose();
    expect(alive(inventory), inventory.output()).toBe(true);
  });

  it('refuses an unsigned stream request like any other', async () => {
    const reply = await send(inventory.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: stockChanged, variables: { upcs: ['1'] } }),
    });
    expectRefused(reply, ['UNAUTHENTICATED']);
  });
});
