import { mkdtempSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/startOtlpReceiver.js';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';
import { writeSupergraph } from './fixtures/writeSupergraph.js';
import { startProductsSubgraph, startReviewsSubgraph, type EventSubgraph, type ReviewsSubgraph } from './subscriptions/startEventSubgraphs.js';

// What /metrics and the traces show of real-time delivery over HTTP: every SSE and multipart
// subscription stream and every multipart @defer answer is counted while it is open and when it
// ends (by why), events in and out and their fan-out are counted, and each event has its span.
let dir: string;
let reviews: ReviewsSubgraph;
let products: EventSubgraph;
let receiver: OtlpReceiver;
let events: RunningGateway;
let shop: Shop;
let defers: RunningGateway;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'portico-stream-metrics-'));
  reviews = await startReviewsSubgraph();
  products = await startProductsSubgraph();
  receiver = await startOtlpReceiver();
  events = await startGateway(dir, 'events', {
    mode: 'development',
    supergraph: { path: writeSupergraph(dir, [reviews, products]) },
    server: { readyChecksSubgraphs: false },
    metrics: { listener: 'public' },
    telemetry: { tracing: { enabled: true, otlpEndpoint: receiver.url } },
  });
  shop = await startShop();
  defers = await startGateway(shop.dir, 'defers', { mode: 'development', supergraph: { path: shop.supergraphPath }, metrics: { listener: 'public' } });
});

afterAll(async () => {
  releaseSlowFields();
  await events?.stop();
  await defers?.stop();
  await reviews?.stop();
  await products?.stop();
  await shop?.stop();
  await receiver?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 50 });

async function scrape(gateway: RunningGateway) {
  return parsePrometheusText(await (await fetch(`${gateway.origin}/metrics`)).text());
}

/** POSTs one operation asking for `accept` and keeps the response open; `text()` is what arrived so far. */
function openStream(gateway: RunningGateway, accept: string, query: string, variables: Record<string, unknown> = {}) {
  let text = '';
  const body = JSON.stringify({ query, variables });
  const req: ClientRequest = request(`${gateway.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, 'content-length': Buffer.byteLength(body) },
  });
  req.on('response', (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => void (text += chunk));
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end(body);
  return { text: () => text, close: () => req.destroy() };
}

const SUBSCRIPTION = 'subscription OnReview($upc: String) { reviewAdded(productUpc: $upc) { id body product { upc name } } }';

describe('streaming transports over HTTP on /metrics', () => {
  for (const [transport, accept] of [
    ['sse', 'text/event-stream'],
    ['multipart', 'multipart/mixed;subscriptionSpec="1.0",application/json'],
  ] as const) {
    it(`counts an open ${transport} subscription stream as a connection and an operation, and its end by reason`, async () => {
      const upc = `gauge-${transport}`;
      const labels = { transport };
      const closesBefore = valueOf(await scrape(events), 'portico_subscription_connection_closes_total', { transport, reason: 'client' });
      const stream = openStream(events, accept, SUBSCRIPTION, { upc });
      await eventually(() => expect(reviews.subscriptionsOpen(upc)).toBe(1));
      const open = await scrape(events);
      expect(valueOf(open, 'portico_subscription_connections', labels)).toBe(1);
      expect(valueOf(open, 'portico_streaming_operations_active', labels)).toBe(1);
      reviews.publish({ id: `${upc}-1`, body: 'counted', productUpc: upc });
      await eventually(() => expect(stream.text()).toContain(`${upc}-1`));
      stream.close();
      await eventually(async () => {
        const after = await scrape(events);
        expect(valueOf(after, 'portico_subscription_connections', labels)).toBe(0);
        expect(valueOf(after, 'portico_streaming_operations_active', labels)).toBe(0);
        expect(valueOf(after, 'portico_subscription_connection_closes_total', { transport, reason: 'client' })).toBe(closesBefore + 1);
      });
    });
  }

  it('counts a stream the gateway ends as complete', async () => {
    const before = valueOf(await scrape(events), 'portico_subscription_connection_closes_total', { transport: 'sse', reason: 'complete' });
    // An operation that answers once, over SSE: one event, then the stream completes.
    const stream = openStream(events, 'text/event-stream', '{ __typename }');
    await eventually(() => expect(stream.text()).toContain('event: complete'));
    await eventually(async () => {
      const after = await scrape(events);
      expect(valueOf(after, 'portico_subscription_connection_closes_total', { transport: 'sse', reason: 'complete' })).toBe(before + 1);
      expect(valueOf(after, 'portico_subscription_connections', { transport: 'sse' })).toBe(0);
    });
  });

  it('counts events in once per upstream event and out once per client, with the fan-out, and gives each event a span', async () => {
    const upc = 'fanout';
    const before = await scrape(events);
    const first = openStream(events, 'text/event-stream', SUBSCRIPTION, { upc });
    const second = openStream(events, 'text/event-stream', SUBSCRIPTION, { upc });
    await eventually(async () => expect(valueOf(await scrape(events), 'portico_subscriptions_active')).toBe(2));
    await eventually(() => expect(reviews.subscriptionsOpen(upc)).toBe(1));
    reviews.publish({ id: 'fan-1', body: 'to both', productUpc: upc });
    reviews.publish({ id: 'fan-2', body: 'to both again', productUpc: upc });
    await eventually(() => expect([first.text(), second.text()].every((text) => text.includes('fan-2'))).toBe(true));
    const after = await scrape(events);
    const delta = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('portico_subscription_events_total', { direction: 'in' })).toBe(2);
    expect(delta('portico_subscription_events_total', { direction: 'out' })).toBe(4);
    expect(delta('portico_subscription_fanout_count')).toBe(2);
    expect(delta('portico_subscription_fanout_sum')).toBe(4);
    first.close();
    second.close();
    // Exported in batches: they come within the exporter's delay, whatever it is.
    await eventually(() => expect(receiver.spans.filter((span) => span.name === 'gateway.subscription.event').length).toBeGreaterThanOrEqual(2));
  });
});

describe('multipart @defer answers on /metrics', () => {
  it('counts an answer while its parts are pending, and its end', async () => {
    const labels = { transport: 'multipart_defer' };
    const before = valueOf(await scrape(defers), 'portico_subscription_connection_closes_total', { ...labels, reason: 'complete' });
    const answer = openStream(
      defers,
      'multipart/mixed;deferSpec=20220824,application/json',
      '{ topProducts(first: 1) { upc } ... @defer(label: "slow") { slowField(tag: "metrics") } }',
    );
    await eventually(() => expect(pendingSlowFields('metrics')).toBe(1));
    await eventually(() => expect(answer.text()).toContain('"hasNext":true'));
    const open = await scrape(defers);
    expect(valueOf(open, 'portico_subscription_connections', labels)).toBe(1);
    expect(valueOf(open, 'portico_streaming_operations_active', labels)).toBe(1);
    releaseSlowFields();
    await eventually(() => expect(answer.text().endsWith('\r\n-----\r\n')).toBe(true));
    await eventually(async () => {
      const after = await scrape(defers);
      expect(valueOf(after, 'portico_subscription_connections', labels)).toBe(0);
      expect(valueOf(after, 'portico_streaming_operations_active', labels)).toBe(0);
      expect(valueOf(after, 'portico_subscription_connection_closes_total', { ...labels, reason: 'complete' })).toBe(before + 1);
    });
  });

  it('counts a client that hangs up mid-answer as client', async () => {
    const labels = { transport: 'multipart_defer', reason: 'client' };
    const before = valueOf(await scrape(defers), 'portico_subscription_connection_closes_total', labels);
    const answer = openStream(
      defers,
      'multipart/mixed;deferSpec=20220824,application/json',
      '{ topProducts(first: 1) { upc } ... @defer(label: "slow") { slowField(tag: "hangup") } }',
    );
    await eventually(() => expect(pendingSlowFields('hangup')).toBe(1));
    await eventually(() => expect(answer.text()).toContain('"hasNext":true'));
    answer.close();
    await eventually(async () => expect(valueOf(await scrape(defers), 'portico_subscription_connection_closes_total', labels)).toBe(before + 1));
    expect(valueOf(await scrape(defers), 'portico_subscription_connections', { transport: 'multipart_defer' })).toBe(0);
    releaseSlowFields();
  });
});
