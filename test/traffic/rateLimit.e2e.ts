import { once } from 'node:events';
import http from 'node:http';
import { createConnection } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

const gateways: RunningGateway[] = [];
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
});

async function gateway(rateLimit: Record<string, unknown>): Promise<RunningGateway> {
  // Production mode: refusals must keep their details through error masking.
  // The per-client rules' 429s at once (not held), unless a test sets perAddress itself: the hold is tested elsewhere.
  const started = await startTrafficGateway({ mode: 'production', rateLimit: { perAddress: { holdRefusalsMs: 0 }, ...rateLimit } });
  gateways.push(started);
  return started;
}

const ping = { query: '{ __typename }' };

describe('rate limiting in memory', () => {
  it('counts each client against the default rule and answers 429 with Retry-After and the IETF RateLimit fields', async () => {
    const gw = await gateway({ default: { windowSeconds: 60, limit: 3 } });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const ok = await send(gw, ping);
      expect(ok.status).toBe(200);
      // Every rule the operation counted against, each named: no header that means one rule now and another next time.
      expect(ok.headers.get('ratelimit-policy')).toBe('"address";q=3000;w=60, "default";q=3;w=60');
      remaining.push(ok.headers.get('ratelimit'));
    }
    expect(remaining.map((field) => field?.replace(/;t=\d+/, ''))).toEqual(['"default";r=2', '"default";r=1', '"default";r=0']);
    expect(remaining[0]).toMatch(/^"default";r=2;t=(\d|[1-5]\d|60)$/);

    const refused = await send(gw, ping);
    expect(refused.status).toBe(429);
    const retryAfter = refused.headers.get('retry-after');
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toBe(`"default";r=0;t=${retryAfter}`);
    expect(refused.headers.get('ratelimit-limit')).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'default', limit: 3, windowSeconds: 60 });
    expect(refused.errors?.[0]?.message).toMatch(/^Rate limit "default" exceeded: 3 operations per 60 s for this client; retry in \d+ s$/);
    expect(refused.data).toBeUndefined();
  });

  it('keeps known API keys apart, counts unknown ones as their address, and believes X-Forwarded-For only from trusted proxies', async () => {
    const alpha = 'alpha-key-0123456789';
    const beta = 'beta-key-0123456789';
    const gw = await gateway({ default: { windowSeconds: 60, limit: 1 }, apiKeys: [alpha, beta] });
    expect((await send(gw, ping, { 'x-api-key': alpha })).status).toBe(200);
    expect((await send(gw, ping, { 'x-api-key': beta })).status).toBe(200);
    expect((await send(gw, ping, { 'x-api-key': alpha })).status).toBe(429);
    // Unknown keys are no keys: the first counts as 127.0.0.1, and so does the second.
    expect((await send(gw, ping, { 'x-api-key': 'invented-1' })).status).toBe(200);
    expect((await send(gw, ping, { 'x-api-key': 'invented-2' })).errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'default' });

    const proxied = await gateway({ default: { windowSeconds: 60, limit: 1 } });
    // Untrusted peer: the header is ignored, so both count as 127.0.0.1.
    expect((await send(proxied, ping, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await send(proxied, ping, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);

    const behindProxy = await gateway({ default: { windowSeconds: 60, limit: 1 }, trustedProxies: ['127.0.0.0/8'] });
    expect((await send(behindProxy, ping, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await send(behindProxy, ping, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(200);
    // The rightmost untrusted hop is the client; what it claims to its left is not believed.
    expect((await send(behindProxy, ping, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).status).toBe(429);
  });

  it('applies rules by operation name and by root field, naming the rule', async () => {
    const gw = await gateway({
      rules: [
        { name: 'pings', operationName: 'Ping', windowSeconds: 60, limit: 1 },
        { name: 'user-list', rootField: 'Query.users', windowSeconds: 60, limit: 1 },
      ],
    });
    expect((await send(gw, { query: 'query Ping { __typename }' })).status).toBe(200);
    const byName = await send(gw, { query: 'query Ping { __typename }' });
    expect(byName.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'pings' });
    expect((await send(gw, { query: 'query Other { __typename }' })).status).toBe(200);

    await send(gw, { query: '{ users(first: 1) { id } }' });
    const byField = await send(gw, { query: '{ ... on Query { users(first: 1) { id } } }' });
    expect(byField.status).toBe(429);
    expect(byField.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'user-list' });
  });

  it('charges a root-field rule each use of its field: aliases count, a merged field or one @skip leaves out does not', async () => {
    const gw = await gateway({ rules: [{ name: 'user-list', rootField: 'Query.users', windowSeconds: 60, limit: 4 }] });
    const twice = await send(gw, { query: '{ a: users(first: 1) { id } b: users(first: 1) { id } b: users(first: 1) { id } }' });
    expect(twice.status).toBe(200);
    expect(twice.headers.get('ratelimit')).toMatch(/"user-list";r=2;/);
    const skipped = await send(gw, {
      query: 'query ($s: Boolean!) { c: users(first: 1) { id } d: users(first: 1) @skip(if: $s) { id } }',
      variables: { s: true },
    });
    expect(skipped.headers.get('ratelimit')).toMatch(/"user-list";r=1;/);
    // Two uses against one left: refused whole, before anything runs.
    const refused = await send(gw, { query: '{ e: users(first: 1) { id } f: users(first: 1) { id } }' });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'user-list' });
    expect(refused.data).toBeUndefined();
  });

  it('charges the estimated cost against the cost budget', async () => {
    const gw = await gateway({ cost: { windowSeconds: 60, budget: 25 } });
    const costsTen = { query: '{ topProducts(first: 10) { upc } }' };
    await send(gw, costsTen);
    await send(gw, costsTen);
    const refused = await send(gw, costsTen);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'cost', limit: 25 });
    expect(refused.errors?.[0]?.message).toContain('this operation costs 10');
    expect(refused.headers.get('ratelimit-policy')).toBe('"address";q=3000;w=60, "default";q=600;w=60, "cost";q=25;w=60;qu="cost"');
    expect(refused.headers.get('ratelimit')).toMatch(/^"cost";r=0;t=\d+, "default";r=597;t=\d+$/);
    // A free operation still runs.
    expect((await send(gw, ping)).status).toBe(200);
  });

  it('can be turned off', async () => {
    const gw = await gateway({ enabled: false, default: { windowSeconds: 60, limit: 1 } });
    expect((await send(gw, ping)).status).toBe(200);
    const second = await send(gw, ping);
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit')).toBeNull();
    expect(second.headers.get('ratelimit-policy')).toBeNull();
  });

  it('limits each address whatever its keys or tokens, before authentication and parsing, counting the requests refused', async () => {
    const known = 'known-key-0123456789';
    const gw = await startTrafficGateway({
      mode: 'production',
      authentication: { mode: 'optional', secret: 'rate-limit-test-secret-0123456789' },
      // Its refusals answered at once (held ones: test/hostile/addressFlood.e2e.ts).
      rateLimit: { perAddress: { windowSeconds: 60, limit: 4, holdRefusalsMs: 0 }, apiKeys: [known] },
    });
    gateways.push(gw);
    // Refused for their body and for their token: they count all the same.
    expect((await send(gw, { query: '{ nope' }, { accept: 'application/graphql-response+json' })).status).toBe(400);
    const badToken = await send(gw, ping, { authorization: 'Bearer not.a.token' });
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get('ratelimit-policy')).toBe('"address";q=4;w=60');
    expect(badToken.headers.get('ratelimit')).toMatch(/^"address";r=2;t=\d+$/);
    expect((await send(gw, ping, { 'x-api-key': known })).status).toBe(200);
    expect((await send(gw, ping)).status).toBe(200);
    for (const headers of [{}, { 'x-api-key': known }, { authorization: 'Bearer not.a.token' }] as Record<string, string>[]) {
      const refused = await send(gw, ping, headers);
      expect(refused.status).toBe(429);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'address', limit: 4, windowSeconds: 60 });
      expect(refused.errors?.[0]?.message).toMatch(/^Rate limit "address" exceeded: 4 requests per 60 s from this address; retry in \d+ s$/);
      expect(refused.headers.get('ratelimit')).toBe(`"address";r=0;t=${refused.headers.get('retry-after')}`);
    }
  });
});

describe('held refusals as the gateway drains', () => {
  it('answers a held 429 as soon as the drain starts, with connection: close, so that it does not hold the stop', async () => {
    // Held far longer than the test may take: without the release at drain start, neither the
    // refusal nor the stop would finish before the test's timeout.
    const gw = await startTrafficGateway({
      mode: 'production',
      server: { drainDelayMs: 0 },
      rateLimit: { perAddress: { windowSeconds: 600, limit: 1, holdRefusalsMs: 600_000 } },
    });
    expect((await send(gw, ping)).status).toBe(200);
    const held = send(gw, ping);
    // Time for it to reach the hold (it has no answer to wait for: it is held).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = gw.stop();
    const refused = await held;
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'address' });
    expect(refused.headers.get('connection')).toBe('close');
    await stopped;
  }, 20_000);
});

describe('the per-peer connection cap', () => {
  it('counts the connections it closes at accept on /metrics (reason per_address)', async () => {
    // Development mode: /metrics on the gateway's own port.
    const gw = await startTrafficGateway({ rateLimit: { perAddress: { maxConnections: 1 } } });
    gateways.push(gw);
    const { port } = new URL(gw.origin);
    const kept = createConnection({ port: Number(port), host: '127.0.0.1', localAddress: '127.0.0.2' });
    await once(kept, 'connect');
    const closed = createConnection({ port: Number(port), host: '127.0.0.1', localAddress: '127.0.0.2' });
    await once(closed, 'close');
    // Scraped from another address: 127.0.0.2 has its one connection.
    const text = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: Number(port), path: '/metrics', localAddress: '127.0.0.3', agent: false }, (response) => {
          let body = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    kept.destroy();
    expect(valueOf(parsePrometheusText(text), 'portico_connections_refused_total', { reason: 'per_address' })).toBe(1);
  });
});
