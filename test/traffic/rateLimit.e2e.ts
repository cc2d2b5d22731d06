import { afterAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../gateway/fixtures/startGateway.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

const gateways: RunningGateway[] = [];
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
});

async function gateway(rateLimit: Record<string, unknown>): Promise<RunningGateway> {
  // Production mode: refusals must keep their details through error masking.
  const started = await startTrafficGateway({ mode: 'production', rateLimit });
  gateways.push(started);
  return started;
}

const ping = { query: '{ __typename }' };

describe('rate limiting in memory', () => {
  it('counts each client against the default rule and answers 429 with Retry-After and RateLimit headers', async () => {
    const gw = await gateway({ default: { windowSeconds: 60, limit: 3 } });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const ok = await send(gw, ping);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(ok.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await send(gw, ping);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe(refused.headers.get('retry-after'));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'default', limit: 3, windowSeconds: 60 });
    expect(refused.errors?.[0]?.message).toMatch(/^Rate limit "default" exceeded: 3 operations per 60 s for this client; retry in \d+ s$/);
    expect(refused.data).toBeUndefined();
  });

  it('keeps API keys apart, and believes X-Forwarded-For only from trusted proxies', async () => {
    const gw = await gateway({ default: { windowSeconds: 60, limit: 1 } });
    expect((await send(gw, ping, { 'x-api-key': 'alpha' })).status).toBe(200);
    expect((await send(gw, ping, { 'x-api-key': 'beta' })).status).toBe(200);
    expect((await send(gw, ping, { 'x-api-key': 'alpha' })).status).toBe(429);
    // Untrusted peer: the header is ignored, so both count as 127.0.0.1.
    expect((await send(gw, ping, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await send(gw, ping, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);

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

  it('charges the estimated cost against the cost budget', async () => {
    const gw = await gateway({ cost: { windowSeconds: 60, budget: 25 } });
    const costsTen = { query: '{ topProducts(first: 10) { upc } }' };
    await send(gw, costsTen);
    await send(gw, costsTen);
    const refused = await send(gw, costsTen);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'cost', limit: 25 });
    expect(refused.errors?.[0]?.message).toContain('this operation costs 10');
    // A free operation still runs.
    expect((await send(gw, ping)).status).toBe(200);
  });

  it('can be turned off', async () => {
    const gw = await gateway({ enabled: false, default: { windowSeconds: 60, limit: 1 } });
    expect((await send(gw, ping)).status).toBe(200);
    const second = await send(gw, ping);
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-limit')).toBeNull();
  });
});
