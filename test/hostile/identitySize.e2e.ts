import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectStillServing, postRaw } from './support/expectRefused.js';
import { startTarget, targetJwtSecret, type Target } from './support/startTarget.js';

/**
 * A token the gateway accepts but whose identity, escaped for the `x-portico-identity` header,
 * would be over what a subgraph reads of a request's headers, against a real gateway and real
 * subgraph processes: the caller is told at authentication (401) that its claims are too large,
 * rather than every subgraph answering HTTP 431 (which read as the subgraphs' failure), and a
 * large identity that fits is still served by the subgraphs.
 */

const query = { query: '{ user(id: "1") { id } topProducts(first: 1) { upc } }' };
// Signed as UTF-8 (3 bytes a character): the token fits the gateway's own 16 KiB header limit.
const tokenFor = (sub: string) => jwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 60 }, targetJwtSecret, { algorithm: 'HS256' });

describe.each(['development', 'production'] as const)('a large identity (%s)', (mode) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget({ mode, config: { rateLimit: { enabled: false } } });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('refuses a 2,700 × "中" subject at authentication with a 401 that says why', async () => {
    const token = tokenFor('中'.repeat(2700));
    expect(token.length).toBeGreaterThan(10_000);
    const reply = await postRaw(target, query, { authorization: `Bearer ${token}` });
    expectRefused(reply, ['UNAUTHENTICATED']);
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="portico", error="invalid_token", error_description="the token's claims are too large/,
    );
    const message = reply.body?.errors?.[0]?.message ?? '';
    expect(message).toMatch(
      /^Authentication failed: the token's claims are too large to forward to the subgraphs \(\d+ bytes once encoded, over the 12288 allowed\)/,
    );
    expect(message).not.toContain('中');
    expect(JSON.stringify(reply.body)).not.toMatch(/SUBGRAPH|431/);
    await expectStillServing(target);
  });

  it('serves a 2,000 × "中" subject through the subgraphs', async () => {
    const reply = await postRaw(target, query, { authorization: `Bearer ${tokenFor('中'.repeat(2000))}` });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body?.errors, JSON.stringify(reply.body)).toBeUndefined();
    expect(reply.body?.data).toEqual({ user: { id: '1' }, topProducts: [{ upc: expect.any(String) }] });
  });
});
