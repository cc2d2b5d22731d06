import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReviewsSubgraph } from '../gateway/subscriptions/startEventSubgraphs.js';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { postRaw } from './support/expectRefused.js';
import { startEventTarget, type EventTarget } from './support/startEventTarget.js';
import type { Target } from './support/startTarget.js';

// The counts of open HTTP streams on /metrics (SSE, multipart subscriptions, multipart @defer)
// under clients that misbehave: many streams from one address dropped at any moment, and @defer
// answers their clients never read. Whatever they do, every count comes back to zero, the
// process stays up and other clients are served.
const subscription = 'subscription ($upc: String) { reviewAdded(productUpc: $upc) { id body product { name } } }';
const deferred = '{ product(upc: "d") { upc ... @defer(label: "later") { name } } }';
const ACCEPT = {
  sse: 'text/event-stream',
  multipart: 'multipart/mixed;subscriptionSpec="1.0"',
  multipart_defer: 'multipart/mixed;deferSpec=20220824,application/json',
} as const;
type Transport = keyof typeof ACCEPT;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 100 });

let stack: EventTarget;
let target: Target;
let reviews: ReviewsSubgraph;

beforeAll(async () => {
  stack = await startEventTarget('stream-counts', {
    // On the gateway's own port, so that this file needs no second fixed one.
    metrics: { listener: 'public' },
    upstream: { maxSubscriptionsPerAddress: 1000 },
    // Every client here is one address: what is tested is the streams, not the rate limits.
    rateLimit: { perAddress: { limit: 100_000 }, default: { limit: 100_000 } },
  });
  ({ target, reviews } = stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** A raw stream request on its own socket, that reads only when told to. */
function openRaw(transport: Transport, options: { reads: boolean; upc?: string }) {
  const body = JSON.stringify(transport === 'multipart_defer' ? { query: deferred } : { query: subscription, variables: { upc: options.upc ?? 'counts' } });
  const socket = net.connect(Number(new URL(target.origin).port), '127.0.0.1');
  socket.on('error', () => {});
  let received = '';
  if (options.reads) socket.on('data', (chunk: Buffer) => void (received = (received + chunk.toString('utf8')).slice(-4096)));
  else socket.pause();
  socket.write(
    `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\naccept: ${ACCEPT[transport]}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  return { socket, received: () => received };
}

async function counts() {
  const response = await fetch(`${target.origin}/metrics`);
  expect(response.status).toBe(200);
  const samples = parsePrometheusText(await response.text());
  return Object.fromEntries(
    (['sse', 'multipart', 'multipart_defer'] as const).map((transport) => [
      transport,
      [valueOf(samples, 'portico_subscription_connections', { transport }), valueOf(samples, 'portico_streaming_operations_active', { transport })],
    ]),
  );
}

const ZERO = { sse: [0, 0], multipart: [0, 0], multipart_defer: [0, 0] };

/** The process is up, answers a query, and delivers a fresh SSE subscription's event. */
async function expectStillServing(upc: string): Promise<void> {
  expect(target.alive(), target.output()).toBe(true);
  const reply = await postRaw(target, { query: '{ product(upc: "ok") { name } }' });
  expect(reply.body).toEqual({ data: { product: { name: 'Product ok' } } });
  const probe = openRaw('sse', { reads: true, upc });
  try {
    await eventually(() => expect(reviews.subscriptionsOpen(upc)).toBe(1));
    reviews.publish({ id: `probe-${upc}`, body: 'probe', productUpc: upc });
    await eventually(() => expect(probe.received()).toContain(`probe-${upc}`));
  } finally {
    probe.socket.destroy();
  }
}

describe('stream counts under hostile clients', () => {
  it('come back to zero after many streams from one address, of every transport, dropped at any moment', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Transport>('sse', 'multipart', 'multipart_defer'), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 50 }),
        fc.boolean(),
        async (transports, waitMs, reset) => {
          const clients = transports.map((transport, index) => openRaw(transport, { reads: index % 2 === 0, upc: `drop-${index % 4}` }));
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          for (const client of clients) {
            if (reset) client.socket.resetAndDestroy();
            else client.socket.destroy();
          }
        },
      ),
      { numRuns: 40 },
    );
    await eventually(async () => expect(await counts()).toEqual(ZERO));
    // A @defer answer whose client left before its first payload was written once held its request (and admission slot) for ever.
    const samples = parsePrometheusText(await (await fetch(`${target.origin}/metrics`)).text());
    expect(valueOf(samples, 'portico_admission_in_flight')).toBe(0);
    await eventually(() => expect([0, 1, 2, 3].map((index) => reviews.subscriptionsOpen(`drop-${index}`))).toEqual([0, 0, 0, 0]));
    await expectStillServing('after-drops');
  }, 180_000);

  it('come back to zero when streams pipelined on one connection are dropped, each waiting behind the one before it', async () => {
    // Node runs every pipelined request at once but gives a response the socket only when the one
    // before it is done: the ones waiting have no socket, and are never closed when it drops.
    const transports = Array.from({ length: 12 }, (_, index) => (['sse', 'multipart', 'multipart_defer'] as const)[index % 3]!);
    const socket = net.connect(Number(new URL(target.origin).port), '127.0.0.1');
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.write(
      transports
        .map((transport, index) => {
          const body = JSON.stringify(transport === 'multipart_defer' ? { query: deferred } : { query: subscription, variables: { upc: `piped-${index}` } });
          return `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\naccept: ${ACCEPT[transport]}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
        })
        .join(''),
    );
    const piped = transports.flatMap((transport, index) => (transport === 'multipart_defer' ? [] : [`piped-${index}`]));
    await eventually(() => expect(piped.map((upc) => reviews.subscriptionsOpen(upc))).toEqual(piped.map(() => 1)));
    socket.destroy();
    await eventually(() => expect(piped.map((upc) => reviews.subscriptionsOpen(upc))).toEqual(piped.map(() => 0)));
    await eventually(async () => expect(await counts()).toEqual(ZERO));
    await expectStillServing('after-pipelined');
  }, 60_000);

  it('hold nothing for @defer answers their clients never read, and count them closed once they go', async () => {
    const before = target.rssBytes();
    const closed = async () => {
      const samples = parsePrometheusText(await (await fetch(`${target.origin}/metrics`)).text());
      return valueOf(samples, 'portico_subscription_connection_closes_total', { transport: 'multipart_defer' });
    };
    const closedBefore = await closed();
    const silent = Array.from({ length: 200 }, () => openRaw('multipart_defer', { reads: false }));
    // Each answer is written whole into its socket: the gateway holds none of them, though none was read.
    await eventually(async () => expect(await closed()).toBe(closedBefore + 200));
    expect(await counts()).toEqual(ZERO);
    expect(target.rssBytes() - before).toBeLessThan(100 * 1024 * 1024);
    await expectStillServing('after-silent');
    for (const client of silent) client.socket.destroy();
    // The probe's SSE stream closes when the gateway sees its socket go, which may be after this line.
    await eventually(async () => expect(await counts()).toEqual(ZERO));
  }, 120_000);
});
