import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePrometheusText } from '../support/parsePrometheusText.js';
import { expectRefused, expectStillServing, send, type Reply } from './support/expectRefused.js';
import { clientFrom, type AddressClient } from './support/sendFromAddress.js';
import { startTarget, targetJwtSecret, type Target } from './support/startTarget.js';

// Small limits, so that using one up takes a few requests. The legitimate client of
// expectStillServing is 127.0.0.1; every attack comes from another loopback address.
const PER_ADDRESS = 30;
const PER_CLIENT = 20;
const MAX_LABEL_VALUES = 100;

let target: Target;
let metricsOrigin: string;
const clients = new Map<string, AddressClient>();

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      rateLimit: {
        // Refusals answered at once: this file sends hundreds in a row (holding them: addressFlood.e2e.ts).
        perAddress: { windowSeconds: 600, limit: PER_ADDRESS, holdRefusalsMs: 0 },
        default: { windowSeconds: 600, limit: PER_CLIENT },
        cost: { windowSeconds: 600, budget: 2_000 },
      },
    },
    // The internal metrics listener's address is in an info line.
    env: { LOG_LEVEL: 'info' },
  });
  const line = /metrics: (http:\/\/[^/\s"]+)\/metrics \(internal listener\)/;
  await vi.waitFor(() => expect(target.output()).toMatch(line));
  metricsOrigin = line.exec(target.output())![1]!;
});

afterAll(async () => {
  for (const client of clients.values()) client.close();
  await target?.close();
});

/** The client on loopback address `address` (one connection pool each). */
function from(address: string): AddressClient {
  let client = clients.get(address);
  if (!client) clients.set(address, (client = clientFrom(target, address)));
  return client;
}

const ping = { query: '{ __typename }' };
// Estimated at 500 (50 products × 10 reviews): four of them use the cost budget up.
const costly = { query: '{ topProducts(first: 50) { upc reviews { id } } }' };

function expectRateLimited(reply: Reply, rule?: string): void {
  expectRefused(reply, ['RATE_LIMITED']);
  expect(reply.status).toBe(429);
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  if (rule) expect(reply.body?.errors?.[0]?.extensions?.rule).toBe(rule);
}

const inventedKey = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);

describe('rate limits cannot be escaped by inventing API keys', () => {
  it('once an address has used its limit up, every request with a fresh random key gets 429, costly ones too', async () => {
    const attacker = from('127.0.0.2');
    for (let i = 0; i < PER_ADDRESS; i += 1) await attacker.post(ping, { 'x-api-key': `warm-up-${i}` });
    await fc.assert(
      fc.asyncProperty(inventedKey, fc.boolean(), async (key, heavy) => {
        expectRateLimited(await attacker.post(heavy ? costly : ping, { 'x-api-key': key }), 'address');
      }),
      { numRuns: 60 },
    );
    await expectStillServing(target);
  });

  it('an unknown key is no new client: the per-client limit and the cost budget hold across fresh keys', async () => {
    const attacker = from('127.0.0.3');
    const replies: Reply[] = [];
    // Under the address limit: the per-client rules (default: 20 operations, cost: 2,000) decide.
    const keys = fc.sample(inventedKey, PER_ADDRESS - 2);
    for (const [index, key] of keys.entries()) replies.push(await attacker.post(index % 2 === 0 ? costly : ping, { 'x-api-key': key }));
    const passed = replies.filter((reply) => reply.status === 200);
    // Four costly operations spend the budget; the pings stop at the default limit.
    expect(passed.length).toBeLessThanOrEqual(PER_CLIENT);
    for (const reply of replies.slice(PER_CLIENT)) expectRateLimited(reply);
    expect(replies.filter((reply, index) => index % 2 === 0 && reply.status === 200).length).toBeLessThanOrEqual(4);
    await expectStillServing(target);
  });
});

describe('requests refused for other reasons count against their address', () => {
  it('a flood of invalid documents and bad tokens is refused, then answered 429 before any parsing', async () => {
    const attacker = from('127.0.0.4');
    const forged = jwt.sign({ sub: 'mallory' }, 'not-the-target-secret-0123456789', { algorithm: 'HS256', expiresIn: 60 });
    // GraphQL over HTTP answers a document that does not parse with 200 under the legacy
    // application/json; the modern media type keeps it a 400, which this test counts.
    const modern = { accept: 'application/graphql-response+json' };
    const invalid = fc.oneof(
      fc.string({ maxLength: 40 }).map((text) => ({ body: { query: `{ ${text}` } as unknown, headers: modern })),
      fc.string({ maxLength: 40 }).map((text) => ({ body: text as unknown, headers: modern })),
      fc.stringMatching(/^[A-Za-z0-9._-]{1,60}$/).map((token) => ({ body: ping as unknown, headers: { authorization: `Bearer ${token}` } })),
      fc.constant({ body: ping as unknown, headers: { authorization: `Bearer ${forged}` } }),
    );
    const replies: Reply[] = [];
    for (const { body, headers } of fc.sample(invalid, 100)) replies.push(await attacker.post(body, headers));
    for (const reply of replies) expectRefused(reply);
    // At most the address's limit were looked at; the rest were refused for the address alone.
    expect(replies.filter((reply) => reply.status !== 429).length).toBeLessThanOrEqual(PER_ADDRESS);
    for (const reply of replies.slice(PER_ADDRESS)) expectRateLimited(reply, 'address');
    // And the address is now limited for valid requests too, a valid token included.
    const valid = jwt.sign({ sub: 'someone' }, targetJwtSecret, { algorithm: 'HS256', expiresIn: 60 });
    expectRateLimited(await attacker.post(ping, { authorization: `Bearer ${valid}` }), 'address');
    await expectStillServing(target);
  });
});

describe('metric labels are bounded whatever names clients invent', () => {
  it("a client name that spells another series' labels is counted as itself, and the other series as its own", async () => {
    // With a plain separator between labels in the bounds' series key, these two would share a
    // key ("client_name=x;client_version=v;client_version=;..."), and the second request would be
    // counted under the first one's labels.
    const operation = { query: 'query SpeltLabels { __typename }', operationName: 'SpeltLabels' };
    const client = from('127.0.1.1');
    const crafted = await client.post(operation, { 'apollographql-client-name': 'x;client_version=v' });
    const plain = await client.post(operation, { 'apollographql-client-name': 'x', 'apollographql-client-version': 'v;client_version=' });
    expect([crafted.status, plain.status]).toEqual([200, 200]);
    const response = await fetch(`${metricsOrigin}/metrics`);
    const samples = parsePrometheusText(await response.text()).filter(
      (sample) => sample.name === 'portico_requests_total' && sample.labels.operation_name === 'SpeltLabels',
    );
    expect(samples.map(({ labels, value }) => [labels.client_name, labels.client_version, value]).sort()).toEqual([
      ['x', 'v;client_version=', 1],
      ['x;client_version=v', '', 1],
    ]);
  });

  it('1,000 invented operation names and client names and versions (ten times the bound) leave /metrics small and its series bounded', {
    timeout: 240_000,
  }, async () => {
    const scrape = async () => {
      const response = await fetch(`${metricsOrigin}/metrics`);
      expect(response.status).toBe(200);
      return response.text();
    };
    const before = await scrape();
    // Ten times MAX_LABEL_VALUES: unbounded labels would give ten times too many series, and
    // /metrics would grow by about a megabyte (6 MB for 5,000 before the bound), far over the
    // limit below. 5,000 cost a minute of CPU on a busy machine and proved nothing more.
    const sent = 10 * MAX_LABEL_VALUES;
    const names = fc.sample(fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,40}$/), sent);
    const clientNames = fc.sample(fc.stringMatching(/^[!-~][ -~]{0,38}[!-~]$/), sent);
    const versions = fc.sample(fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,5}(-[a-z0-9]{1,12})?$/), sent);
    // Each attacker address stays under its limits (10 of 20 operations), so that every
    // operation is counted, not refused by the HTTP layer before the metrics see it.
    const perAddress = 10;
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const index = next++;
        const client = from(`127.0.${2 + Math.floor(index / perAddress / 250)}.${1 + (Math.floor(index / perAddress) % 250)}`);
        const reply = await client.post(
          { query: `query ${names[index]} { __typename }`, operationName: names[index] },
          { 'apollographql-client-name': clientNames[index]!, 'apollographql-client-version': versions[index]! },
        );
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const after = await scrape();
    const samples = parsePrometheusText(after).filter((sample) => sample.name === 'portico_requests_total');
    expect(samples.reduce((sum, sample) => sum + sample.value, 0)).toBeGreaterThanOrEqual(sent);
    // Each label fills its N at its own pace (names, clients and versions repeat differently),
    // so a few N series at most; the hard cap is 10 × N per metric.
    expect(samples.length).toBeLessThanOrEqual(3 * MAX_LABEL_VALUES);
    for (const label of ['operation_name', 'client_name', 'client_version']) {
      expect(new Set(samples.map((sample) => sample.labels[label])).size, label).toBeLessThanOrEqual(MAX_LABEL_VALUES + 1);
    }
    // Most of them (all but the first MAX_LABEL_VALUES names, less any repeated name) count as `other`.
    expect(samples.some((sample) => sample.labels.operation_name === 'other' && sample.value > 0.8 * sent)).toBe(true);
    // From ~24 KB to 6 MB before the bound; now it grows by the bounded series only.
    console.info(`/metrics: ${before.length} bytes before, ${after.length} after; ${samples.length} series of portico_requests_total`);
    expect(after.length - before.length).toBeLessThan(64 * 1024);
    await expectStillServing(target);
  });
});

describe('/metrics in production', () => {
  it('is not on the public port (404), and is on the internal listener', async () => {
    const publicScrape = await send(`${target.origin}/metrics`);
    expectRefused(publicScrape, ['NOT_FOUND']);
    expect(publicScrape.status).toBe(404);
    const internal = await fetch(`${metricsOrigin}/metrics`);
    expect(internal.status).toBe(200);
    expect(internal.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await internal.text()).toContain('portico_requests_total');
    // The internal listener serves metrics and nothing else: no GraphQL there.
    expect((await fetch(`${metricsOrigin}/graphql`, { method: 'POST' })).status).toBe(404);
    await expectStillServing(target);
  });
});
