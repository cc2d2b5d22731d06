import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdentity, type ForwardedIdentity } from '../../common/identityHeader.js';
import { runEntryProcess, type EntryProcess } from '../support/runEntryProcess.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { signedHeaders } from '../support/startStack.js';
import { testSigningSecret } from '../support/startSubgraphs.js';
import { expectRefused, expectStillServing, postRaw, send } from './support/expectRefused.js';
import { startTarget, targetJwtSecret, type Target } from './support/startTarget.js';

// The gateway → subgraph contract under attack. Signed-in callers whose identity holds any
// character (a real identity provider issues such names) must neither break their own requests
// nor open a subgraph's circuit breaker for everyone; and a subgraph must refuse what did not
// come from the gateway, or came twice, or was meant for another subgraph, before reading it.
let target: Target;
// Identities the accounts subgraph was sent, by request id.
const seen = new Map<string, ForwardedIdentity | string>();

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      authentication: { mode: 'optional', secret: '${env.PORTICO_JWT_SECRET}', forwardClaims: ['tenant', 'name'] },
      // A breaker that opens after two failures: had the bad identities counted, it would be open.
      upstream: { breaker: { failureThreshold: 2, resetTimeoutMs: 600_000 } },
    },
  });
  target.subgraphs.httpServer('accounts').prependListener('request', (req: IncomingMessage) => {
    const header = req.headers['x-portico-identity'];
    const decoded = typeof header === 'string' ? decodeIdentity(header) : undefined;
    seen.set(String(req.headers['x-request-id']), decoded?.ok ? decoded.identity : `undecodable: ${String(header)}`);
  });
}, 60_000);

afterAll(async () => {
  await target?.close();
});

const token = (claims: Record<string, unknown>) => jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 }, targetJwtSecret, { algorithm: 'HS256' });

// Any text, lone surrogates, newlines and characters above U+FFFF included.
const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });

describe('signed-in callers with any identity', () => {
  it('reach the subgraphs with their exact subject, scopes and claims, and never open a breaker', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, fc.array(text, { maxLength: 3 }), text, text, async (sub, scp, tenant, name) => {
        const requestId = `upstream-hostile-${(n += 1)}`;
        const reply = await postRaw(
          target,
          { query: '{ me { id } topProducts(first: 1) { upc reviews { id } } }' },
          {
            authorization: `Bearer ${token({ sub, scp, tenant, name })}`,
            'x-request-id': requestId,
          },
        );
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        // `me` is null (no such user): the subgraph answered, nothing failed on the way.
        expectOnlyCallersMistakes(reply.body?.errors, sub);
        expect(reply.body?.data).toMatchObject({ me: null, topProducts: [{ upc: expect.any(String) }] });
        expect(seen.get(requestId)).toEqual({ sub, scopes: scp, claims: { tenant, name } });
      }),
      { numRuns: 60 },
    );
    // An anonymous caller afterwards is served by every subgraph.
    await expectStillServing(target);
    const anonymous = await postRaw(target, { query: '{ topProducts(first: 2) { upc inStock reviews { id author { id } } } }' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body?.errors, JSON.stringify(anonymous.body)).toBeUndefined();
    expect(target.output()).not.toMatch(/circuit breaker of subgraph \w+ is open/);
  });

  it('with a newline or non-Latin-1 text in every claim, one after another, leave anonymous callers unaffected', async () => {
    for (const sub of ['Zoë\nAdmin', '管理者', '😀', 'a\r\nx-injected: 1', '\u0000', '\ud800']) {
      const reply = await postRaw(target, { query: '{ me { id } }' }, { authorization: `Bearer ${token({ sub, scp: [sub], tenant: sub })}` });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expectOnlyCallersMistakes(reply.body?.errors, sub);
    }
    await expectStillServing(target);
  });

  it('a client cannot set the identity header itself', async () => {
    const forged = JSON.stringify({ sub: '1', scopes: ['admin'], claims: {} });
    const reply = await postRaw(target, { query: '{ user(id: "1") { id } }' }, { 'x-portico-identity': forged, 'x-request-id': 'upstream-forged-identity' });
    expect(reply.body?.data).toEqual({ user: { id: '1' } });
    expect(seen.get('upstream-forged-identity')).toBe('undecodable: undefined');
  });

  it("an over-long id in a variable (60,000 characters, under limits.maxVariablesBytes) is refused as the caller's mistake, not sent to a backend", async () => {
    const reply = await postRaw(target, { query: 'query($id: ID!) { user(id: $id) { id } review(id: $id) { id } }', variables: { id: 'x'.repeat(60_000) } });
    expect(reply.status).toBe(200);
    expect(reply.body?.errors?.length).toBeGreaterThan(0);
    for (const error of reply.body?.errors ?? []) expect(error.extensions?.code, JSON.stringify(error)).toBe('BAD_USER_INPUT');
    await expectStillServing(target);
  });

  it('a larger one (200,000 characters) is refused at the edge, before anything parses it', async () => {
    const reply = await postRaw(target, { query: 'query($id: ID!) { user(id: $id) { id } }', variables: { id: 'x'.repeat(200_000) } });
    expectRefused(reply, ['MAX_VARIABLES_BYTES_EXCEEDED']);
    await expectStillServing(target);
  });
});

describe('a real subgraph process, sent requests that did not come from the gateway as they are', () => {
  let accounts: EntryProcess;
  let reviews: EntryProcess;
  let accountsUrl: string;
  let reviewsUrl: string;
  const env = () => ({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PORTICO_SIGNING_SECRET: testSigningSecret,
    USERS_SERVICE_URL: target.backends.usersUrl,
    REVIEWS_SERVICE_URL: target.backends.reviewsUrl,
  });

  let redis: RunningRedis;

  beforeAll(async () => {
    // Accounts remembers nonces in Redis (as replicas would share them), reviews in memory.
    redis = await startRedis();
    accounts = runEntryProcess('subgraphs/accounts/index.ts', [], { ...env(), REDIS_URL: redis.url });
    reviews = runEntryProcess('subgraphs/reviews/index.ts', [], env());
    accountsUrl = `http://127.0.0.1:${await accounts.port}/graphql`;
    reviewsUrl = `http://127.0.0.1:${await reviews.port}/graphql`;
  }, 60_000);

  afterAll(async () => {
    for (const subgraph of [accounts, reviews]) {
      if (subgraph && subgraph.child.exitCode === null) {
        subgraph.child.kill('SIGTERM');
        await subgraph.exited;
      }
    }
    await redis?.stop();
  });

  const reviewsCreated = async () => (await target.backends.counts()).reviewsPaths['POST /reviews'] ?? 0;

  it('refuses a captured createReview replayed, however often', async () => {
    const body = JSON.stringify({
      query: 'mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }',
      variables: { input: { productUpc: '3', body: 'Once only.', rating: 5 } },
    });
    const captured = signedHeaders(reviewsUrl, body, { audience: 'reviews', identity: { sub: '4' } });
    const before = await reviewsCreated();
    expect((await send(reviewsUrl, { method: 'POST', headers: captured, body })).status).toBe(200);
    for (let replay = 0; replay < 5; replay += 1) {
      const again = await send(reviewsUrl, { method: 'POST', headers: captured, body });
      expectRefused(again, ['UNAUTHENTICATED']);
      expect(again.body?.errors?.[0]?.message).toMatch(/a replay/);
    }
    expect((await reviewsCreated()) - before).toBe(1);
  });

  it('refuses a replay to a subgraph that keeps its nonces in Redis', async () => {
    const body = JSON.stringify({ query: '{ user(id: "2") { id } }' });
    const captured = signedHeaders(accountsUrl, body, { audience: 'accounts' });
    expect((await send(accountsUrl, { method: 'POST', headers: captured, body })).body?.data).toEqual({ user: { id: '2' } });
    const again = await send(accountsUrl, { method: 'POST', headers: captured, body });
    expectRefused(again, ['UNAUTHENTICATED']);
    expect(again.body?.errors?.[0]?.message).toMatch(/a replay/);
    // Remembered in Redis, where the subgraph's other replicas look too, until the signature expires.
    const client = new Redis(redis.url);
    try {
      expect(await client.pttl(`portico:nonce:accounts:${captured['x-portico-nonce']}`)).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });

  it('refuses a request signed for another subgraph', async () => {
    const body = JSON.stringify({ query: '{ _service { sdl } }' });
    const forAccounts = signedHeaders(accountsUrl, body, { audience: 'accounts' });
    expectRefused(await send(reviewsUrl, { method: 'POST', headers: forAccounts, body }), ['UNAUTHENTICATED']);
    expect((await send(accountsUrl, { method: 'POST', headers: forAccounts, body })).status).toBe(200);
  });

  it.each([
    ['x-portico-deadline-ms', '1000', '86400000'],
    ['x-request-id', 'req-signed', 'req-tampered'],
  ])('refuses a request whose %s was changed', async (header, signedValue, tampered) => {
    const body = JSON.stringify({ query: '{ me { id } }' });
    const headers = signedHeaders(accountsUrl, body, { audience: 'accounts', identity: { sub: '1' }, headers: { [header]: signedValue } });
    expectRefused(await send(accountsUrl, { method: 'POST', headers: { ...headers, [header]: tampered }, body }), ['UNAUTHENTICATED']);
  });

  it('refuses unsigned 10 MiB bodies on their headers, without reading them: its memory stays bounded', async () => {
    const pid = accounts.child.pid!;
    const before = rssOf(pid);
    const megabyte = Buffer.alloc(1024 * 1024, 'a');
    for (let round = 0; round < 30; round += 1) {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(accountsUrl).port), '127.0.0.1');
        let received = '';
        socket.setEncoding('utf8');
        socket.on('error', () => {});
        socket.on('close', () => resolve(received));
        // Headers first: the refusal comes before any of the body is sent, so it cannot have
        // been read (a subgraph that read bodies first would wait here forever).
        socket.write(`POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${10 * 1024 * 1024}\r\n\r\n`);
        socket.once('data', (chunk: string) => {
          received += chunk;
          // Then the whole body, as an attacker would send it anyway.
          for (let chunk = 0; chunk < 10; chunk += 1) socket.write(megabyte);
          socket.end();
        });
      });
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    }
    // 30 bodies read would be 300 MiB of buffers (+228 MiB was measured before the fix).
    expect(rssOf(pid) - before).toBeLessThan(64 * 1024 * 1024);
    expect(accounts.child.exitCode).toBeNull();
  });
});

/** Errors a signed-in caller may get for its own identity: none, or BAD_USER_INPUT for a subject no backend can be asked about. */
function expectOnlyCallersMistakes(errors: Array<{ extensions?: Record<string, unknown> }> | undefined, sub: string): void {
  for (const error of errors ?? []) expect(error.extensions?.code, `${JSON.stringify(sub)}: ${JSON.stringify(error)}`).toBe('BAD_USER_INPUT');
  // A well-formed subject always reaches the backend, which simply does not know it; one that is
  // only white space is an empty id to the users service's comma-separated ?ids= (BAD_USER_INPUT above).
  const wellFormed = !/[\uD800-\uDFFF]/.test(sub) || /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/.test(sub);
  if (wellFormed && /\S/.test(sub)) expect(errors, JSON.stringify(sub)).toBeUndefined();
}

function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
