import { describe, expect, vi } from 'vitest';
import { runLoad } from '../support/runLoad.js';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { shopTest } from './fixtures/shopTest.js';
import { startFlakyProxy, type FlakyProxy } from './fixtures/startFlakyProxy.js';
import type { RunningGateway } from './fixtures/startGateway.js';

// A production gateway routing one subgraph (products unless said) through a proxy that fails on demand.
type ProxiedGateway = (
  name: string,
  settings: Record<string, unknown>,
  extra?: Record<string, unknown>,
  logLevel?: string,
  proxied?: 'products' | 'reviews',
) => Promise<RunningGateway>;

// The test's proxy: one per test, closed with it.
let proxy: FlakyProxy;

const it = shopTest.extend<{ $test: { proxiedGateway: ProxiedGateway } }>({
  // A tuple: the fixture's value is itself a function, which the bare form would be taken for.
  proxiedGateway: [
    async ({ shop, gatewayWith }, use) => {
      let started: FlakyProxy | undefined;
      await use(async (name, settings, extra = {}, logLevel = 'warn', proxied = 'products') => {
        started = proxy = await startFlakyProxy(shop[proxied].url);
        return gatewayWith(name, { mode: 'production', subgraphs: { [proxied]: { url: proxy.url, ...settings } }, ...extra }, logLevel);
      });
      await started?.close();
    },
    { scope: 'test' },
  ],
});

const noBreaker = { enabled: false };
const fastRetries = { initialDelayMs: 1, maxDelayMs: 5 };

const topProducts = { query: '{ topProducts(first: 1) { name } }' };
const setPrice = { query: 'mutation { setPrice(upc: "1", price: 1) { price } }' };
const queriesReceived = () => proxy.received.filter((request) => request.query.startsWith('{') || request.query.startsWith('query')).length;

describe('retries', () => {
  it('retries a query on 503 up to maxRetries, then answers SUBGRAPH_UNAVAILABLE naming the subgraph', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('retry-503', { retry: { maxRetries: 2, ...fastRetries }, breaker: noBreaker });
    await proxy.setMode('unavailable');
    const { response, body } = await postGraphQL(gateway.origin, topProducts);
    expect(response.status).toBe(200);
    // topProducts is non-null in the fixture, so its failure empties the whole response.
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: 'Subgraph "products" responded with HTTP 503',
          path: ['topProducts'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'products' },
        },
      ],
    });
    expect(proxy.received).toHaveLength(3);
  });

  it('never retries a mutation', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('retry-mutation', { retry: { maxRetries: 3, ...fastRetries }, breaker: noBreaker });
    await proxy.setMode('unavailable');
    const { body } = await postGraphQL(gateway.origin, setPrice);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'products' });
    expect(proxy.received.map((request) => request.query.split(/[ {(]/)[0])).toEqual(['mutation']);
  });

  it('answers every query of a flapping subgraph, retrying the failed attempts', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('flapping', { retry: { maxRetries: 2, ...fastRetries }, breaker: noBreaker });
    await proxy.setMode('flapping');
    for (let i = 0; i < 10; i += 1) {
      const { body } = await postGraphQL(gateway.origin, topProducts);
      expect(body).toEqual({ data: { topProducts: [{ name: 'Table' }] } });
    }
    expect(proxy.received.length).toBeGreaterThan(10);
  });

  it('stops retrying when the retry budget is spent', async ({ proxiedGateway }) => {
    // No share of traffic, one retry a second over the 10-second window: 10 retries in all.
    const retry = { maxRetries: 2, budgetPercent: 0, budgetMinPerSecond: 1, ...fastRetries };
    const gateway = await proxiedGateway('budget', { retry, breaker: noBreaker });
    await proxy.setMode('unavailable');
    for (let i = 0; i < 8; i += 1) {
      const { body } = await postGraphQL(gateway.origin, topProducts);
      expect(body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    }
    expect(queriesReceived()).toBe(8 + 10);
  });
});

describe('timeouts and deadlines', () => {
  it('gives up on a subgraph slower than its timeout with SUBGRAPH_TIMEOUT, sending the time it has as a header', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('slow', { timeoutMs: 80 });
    const { body } = await postGraphQL(gateway.origin, { query: '{ slowField(tag: "slow") }' });
    expect(body).toEqual({
      data: { slowField: null },
      errors: [
        { message: 'Subgraph "products" did not answer within 80 ms', path: ['slowField'], extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'products' } },
      ],
    });
    expect(Number(proxy.received[0]?.deadline)).toBe(80);
  });

  it('bounds the subgraph call by what is left of the client request', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('request-deadline', { timeoutMs: 30_000 }, { server: { requestTimeoutMs: 150 } });
    const { body } = await postGraphQL(gateway.origin, { query: '{ slowField(tag: "request-deadline") }' });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'products' });
    const sent = Number(proxy.received[0]?.deadline);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(150);
  });
});

describe('the circuit breaker', () => {
  it('opens after repeated failures, fails fast while open, probes, and closes when the subgraph is back', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('breaker', { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, resetTimeoutMs: 200 } });
    await proxy.setMode('unavailable');
    for (let i = 0; i < 3; i += 1) await postGraphQL(gateway.origin, topProducts);
    expect(proxy.received).toHaveLength(3);

    const { body } = await postGraphQL(gateway.origin, topProducts);
    expect(body.errors).toEqual([
      {
        message: 'Subgraph "products" is unavailable: its circuit breaker is open after repeated failures',
        path: ['topProducts'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'products' },
      },
    ]);
    expect(proxy.received).toHaveLength(3); // refused without calling the subgraph

    await proxy.setMode('up');
    await vi.waitFor(async () => expect((await postGraphQL(gateway.origin, topProducts)).body.errors).toBeUndefined(), { timeout: 5000, interval: 50 });
    const states = gateway.logs.map((line) => line.breaker).filter(Boolean);
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('under constant load, a subgraph going down costs only its fields; the breaker opens, then closes when it is back', async ({ proxiedGateway }) => {
    const breaker = { failureThreshold: 3, resetTimeoutMs: 100 };
    const gateway = await proxiedGateway('breaker-load', { retry: fastRetries, breaker }, {}, 'warn', 'reviews');
    const states = () => gateway.logs.map((line) => line.breaker).filter(Boolean);
    const query = { query: '{ topProducts(first: 2) { name reviews { body } } }' };
    let phase = 'healthy';
    const load = runLoad({ concurrency: 4, maxRequests: 5000, phase: () => phase, send: () => postGraphQL(gateway.origin, query) });
    try {
      await vi.waitFor(() => expect(load.count('healthy')).toBeGreaterThanOrEqual(20), { timeout: 10_000 });
      phase = 'down';
      await proxy.setMode('down');
      await vi.waitFor(() => expect(states()).toContain('open'), { timeout: 10_000 });
      await vi.waitFor(() => expect(load.count('down')).toBeGreaterThanOrEqual(20), { timeout: 10_000 });
      phase = 'back';
      await proxy.setMode('up');
      await vi.waitFor(() => expect(states().at(-1)).toBe('closed'), { timeout: 10_000 });
      phase = 'closed';
      await vi.waitFor(() => expect(load.count('closed')).toBeGreaterThanOrEqual(20), { timeout: 10_000 });
    } finally {
      await load.stop();
    }

    const messages = new Set<string>();
    for (const { phase: sentIn, answeredIn, reply } of load.replies) {
      expect(reply).not.toBeInstanceOf(Error);
      const { response, body } = reply as Awaited<ReturnType<typeof postGraphQL>>;
      expect(response.status).toBe(200);
      expect((body.data?.topProducts as { name: string }[]).map((product) => product.name)).toEqual(['Table', 'Couch']);
      for (const error of body.errors ?? []) {
        expect(error).toMatchObject({ path: ['topProducts'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'reviews' } });
        messages.add(error.message.replace(/\(.*\)$/, ''));
      }
      if (sentIn === answeredIn && (sentIn === 'healthy' || sentIn === 'closed')) expect(body.errors).toBeUndefined();
    }
    // Some failed on the wire, others at once on the open circuit, without reaching the subgraph.
    expect([...messages].sort()).toEqual([
      'Subgraph "reviews" could not be reached ',
      'Subgraph "reviews" is unavailable: its circuit breaker is open after repeated failures',
    ]);
    expect(states().slice(0, 3)).toEqual(['open', 'half-open', expect.stringMatching(/^(open|closed)$/)]);
  });

  it('reports an unreachable subgraph as SUBGRAPH_UNAVAILABLE', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('refused', { retry: { maxRetries: 0 } });
    await proxy.setMode('down');
    const { body } = await postGraphQL(gateway.origin, topProducts);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Subgraph "products" could not be reached/),
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
  });
});

describe('in-flight de-duplication', () => {
  it('sends identical concurrent queries to the subgraph once', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('dedup', {}, {}, 'debug');
    const query = { query: '{ slowField(tag: "dedup") }' };
    const replies = [postGraphQL(gateway.origin, query), postGraphQL(gateway.origin, query), postGraphQL(gateway.origin, query)];
    await vi.waitFor(() => expect(gateway.logs.filter((line) => String(line.msg).startsWith('shares an identical request'))).toHaveLength(2));
    // The one request sent may still be on its way through the proxy: let it go once it has arrived.
    await vi.waitFor(() => expect(pendingSlowFields('dedup')).toBe(1));
    releaseSlowFields();
    for (const reply of await Promise.all(replies)) expect(reply.body).toEqual({ data: { slowField: 'finally' } });
    expect(proxy.received).toHaveLength(1);
  });

  it('sends each one when dedupQueries is off', async ({ proxiedGateway }) => {
    const gateway = await proxiedGateway('no-dedup', { dedupQueries: false });
    const query = { query: '{ slowField(tag: "no-dedup") }' };
    const replies = [postGraphQL(gateway.origin, query), postGraphQL(gateway.origin, query)];
    await vi.waitFor(() => expect(pendingSlowFields('no-dedup')).toBe(2));
    releaseSlowFields();
    await Promise.all(replies);
    expect(proxy.received).toHaveLength(2);
  });
});
