import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisNonceStore } from '../../../subgraphs/kit/nonces/createRedisNonceStore.js';
import { startDemoBackends, type DemoBackends } from '../../support/startDemoBackends.js';
import { startRedis, type RunningRedis } from '../../support/startRedis.js';
import { signedHeaders } from '../../support/startStack.js';
import { startSubgraphs, type RunningSubgraphs } from '../../support/startSubgraphs.js';

// Real subgraph servers given requests signed as the gateway signs them (scheme v2), then
// replayed, redirected, tampered with, or not signed at all.
let backends: DemoBackends;
let subgraphs: RunningSubgraphs;

beforeAll(async () => {
  backends = await startDemoBackends();
  subgraphs = await startSubgraphs(backends);
});
afterAll(async () => {
  await subgraphs?.close();
  await backends?.close();
});

const createReview = (n: number) =>
  JSON.stringify({
    query: 'mutation($input: CreateReviewInput!) { createReview(input: $input) { id author { id } } }',
    variables: { input: { productUpc: '5', body: `Replayed ${n}?`, rating: 4 } },
  });

async function send(url: string, headers: Record<string, string>, body: string) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return {
    status: response.status,
    body: (await response.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string; extensions: { code: string } }> },
  };
}

const reviewsCreated = async () => (await backends.counts()).reviewsPaths['POST /reviews'] ?? 0;

describe('a signed request', () => {
  it('is answered once: the same request again is a replay, refused before it reaches a resolver', async () => {
    const body = createReview(1);
    const headers = signedHeaders(subgraphs.urls.reviews, body, { audience: 'reviews', identity: { sub: '3' } });
    const before = await reviewsCreated();
    const first = await send(subgraphs.urls.reviews, headers, body);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    for (let replay = 0; replay < 5; replay += 1) {
      const again = await send(subgraphs.urls.reviews, headers, body);
      expect(again.status).toBe(401);
      expect(again.body.errors?.[0]?.message).toMatch(/the request was seen before \(a replay\)/);
    }
    expect((await reviewsCreated()) - before).toBe(1);
  });

  it('is refused by every subgraph but the one it was signed for', async () => {
    const body = JSON.stringify({ query: '{ _service { sdl } }' });
    const forAccounts = signedHeaders(subgraphs.urls.accounts, body, { audience: 'accounts' });
    for (const other of ['reviews', 'products', 'inventory'] as const) {
      const reply = await send(subgraphs.urls[other], forAccounts, body);
      expect(reply.status).toBe(401);
      expect(reply.body.errors?.[0]?.message).toMatch(/the signature does not match the request/);
    }
    expect((await send(subgraphs.urls.accounts, forAccounts, body)).status).toBe(200);
  });

  it.each([
    ['deadline', 'x-portico-deadline-ms', '2500', '600000'],
    ['request id', 'x-request-id', 'req-honest', 'req-forged'],
  ])('is refused when its %s was changed on the way', async (_what, header, signedValue, forged) => {
    const body = JSON.stringify({ query: '{ me { id } }' });
    const headers = signedHeaders(subgraphs.urls.accounts, body, { audience: 'accounts', identity: { sub: '1' }, headers: { [header]: signedValue } });
    const reply = await send(subgraphs.urls.accounts, { ...headers, [header]: forged }, body);
    expect(reply.status).toBe(401);
    expect(reply.body.errors?.[0]?.message).toMatch(/the signature does not match the request/);
    // Added where the gateway sent none, too.
    const bare = signedHeaders(subgraphs.urls.accounts, body, { audience: 'accounts', identity: { sub: '1' } });
    expect((await send(subgraphs.urls.accounts, { ...bare, [header]: forged }, body)).status).toBe(401);
  });

  // That the subgraph reads them back exactly is requestScope.test.ts's; here, that they travel.
  it('carries any subject, scope and claim in valid header values the subgraph accepts', async () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(text, fc.array(text, { maxLength: 3 }), text, async (sub, scopes, tenant) => {
        const body = JSON.stringify({ query: '{ _entities(representations: [{ __typename: "User", id: "1" }]) { __typename } }' });
        const headers = signedHeaders(subgraphs.urls.accounts, body, { audience: 'accounts', identity: { sub, scopes, claims: { tenant } } });
        for (const value of Object.values(headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
        expect((await send(subgraphs.urls.accounts, headers, body)).status).toBe(200);
      }),
      { numRuns: 30 },
    );
  });
});

describe('an unsigned request', () => {
  it('is refused on its headers: a 10 MiB body is never waited for, let alone read', async () => {
    const { port } = new URL(subgraphs.urls.reviews);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Headers only: the body is never sent, so an answer proves it was not read.
    socket.write(`POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${10 * 1024 * 1024}\r\n\r\n`);
    await new Promise<void>((resolve) => socket.on('data', () => answer.includes('\r\n\r\n') && answer.includes('}') && resolve()));
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('the request is not signed by the gateway');
    socket.destroy();
    await closed;
  });

  it('signed with a body larger than the limit is refused before the body is read, too', async () => {
    const body = 'x'.repeat(11 * 1024 * 1024);
    const headers = signedHeaders(subgraphs.urls.reviews, body, { audience: 'reviews' });
    const reply = await send(subgraphs.urls.reviews, headers, body);
    expect(reply.status).toBe(413);
    expect(reply.body.errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('nonces in Redis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('are shared by replicas: a request one replica answered is a replay to the other', async () => {
    const stores = [createRedisNonceStore(redis.url, { subgraph: 'accounts' }), createRedisNonceStore(redis.url, { subgraph: 'accounts' })];
    const replicas = await Promise.all(stores.map((nonces) => startSubgraphs(backends, { nonces })));
    try {
      const body = JSON.stringify({ query: '{ me { id } }' });
      const headers = signedHeaders(replicas[0]!.urls.accounts, body, { audience: 'accounts', identity: { sub: '2' } });
      const first = await send(replicas[0]!.urls.accounts, headers, body);
      expect(first.body.data).toEqual({ me: { id: '2' } });
      const replayed = await send(replicas[1]!.urls.accounts, headers, body);
      expect(replayed.status).toBe(401);
      expect(replayed.body.errors?.[0]?.message).toMatch(/a replay/);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('refuse a signed request with 503 while Redis is down (failing closed), and accept again once it is back', async () => {
    const nonces = createRedisNonceStore(redis.url, { subgraph: 'accounts' });
    const replica = await startSubgraphs(backends, { nonces });
    const body = JSON.stringify({ query: '{ me { id } }' });
    const ask = () => send(replica.urls.accounts, signedHeaders(replica.urls.accounts, body, { audience: 'accounts', identity: { sub: '2' } }), body);
    try {
      expect((await ask()).status).toBe(200);
      await redis.stop();
      const refused = await ask();
      expect(refused.status).toBe(503);
      expect(refused.body.errors?.[0]?.extensions.code).toBe('SERVICE_NOT_READY');
      await redis.start();
      await expect.poll(async () => (await ask()).status, { timeout: 10_000, interval: 200 }).toBe(200);
    } finally {
      await replica.close();
      await nonces.close();
    }
  });
});
