import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectStillServing, type Reply } from './support/expectRefused.js';
import { clientFrom, type AddressClient } from './support/sendFromAddress.js';
import { startTarget, targetJwtSecret, type Target } from './support/startTarget.js';
import { TRUSTED_PROXY } from './support/trustedProxy.js';

// The per-address budget of authentication failures (`rateLimit.perAddress.authFailures`): an
// address that keeps sending tokens that fail gets its first BUDGET 401s at once, then each held
// (the refusal hold, HOLD_MS here: the window is a minute) and closing its connection, so it gets
// about one answer per connection per hold; a valid token from the same address, and anyone else,
// is served at once all along. The legitimate client of expectStillServing is 127.0.0.1.
const BUDGET = 10;
const HOLD_MS = 5000;
// Fewer places than the flood's connections: a held 401 that kept its place would make the
// valid client of the same address wait behind it.
const MAX_IN_FLIGHT = 2;
const CONNECTIONS = 4;

let target: Target;

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      rateLimit: {
        trustedProxies: [TRUSTED_PROXY],
        perAddress: {
          windowSeconds: 60,
          limit: 100_000,
          holdRefusalsMs: HOLD_MS,
          maxInFlight: MAX_IN_FLIGHT,
          authFailures: { windowSeconds: 60, limit: BUDGET },
        },
        default: { windowSeconds: 60, limit: 100_000 },
      },
    },
  });
});

afterAll(async () => {
  await target?.close();
});

const ping = { query: '{ __typename }' };
const now = () => Math.floor(Date.now() / 1000);
const validToken = () => jwt.sign({ sub: 'alice' }, targetJwtSecret, { algorithm: 'HS256', expiresIn: 600 });
const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signed = (header: unknown, claims: unknown, secret: string) => {
  const input = `${segment(header)}.${segment(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

/** Tokens that fail authentication: garbage, a wrong secret, and a header `alg` with CR/LF or U+0100 (the bench's attack). */
const invalidToken = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._-]{1,120}$/),
  fc
    .record({ sub: fc.string({ maxLength: 20 }), scope: fc.string({ maxLength: 20 }) })
    .map((claims) => signed({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now() + 600 }, 'not-the-target-secret-0123456789')),
  fc
    .tuple(fc.constantFrom('\r\n', '\n', '\r', '\u0100'), fc.stringMatching(/^[A-Za-z0-9: -]{0,30}$/))
    .map(([breaker, text]) => signed({ alg: `HS256${breaker}${text}`, typ: 'JWT' }, { sub: '1', exp: now() + 600 }, targetJwtSecret)),
);

const served = (reply: Reply) => {
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body?.errors, JSON.stringify(reply.body)).toBeUndefined();
};

/** The same 401 as without the budget: a code, a challenge, no stack, nothing raw in a header. */
function expectUnauthenticated(reply: Reply): void {
  expectRefused(reply, ['UNAUTHENTICATED']);
  expect(reply.status).toBe(401);
  expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer realm="portico", error="invalid_(?:token|request)", error_description="[\x20-\x7e]*"$/);
  expect(reply.headers.get('x-injected')).toBeNull();
}

describe('an address flooding tokens that fail authentication', () => {
  it('gets its budget at once, then one held 401 per connection per hold, while a valid token from the same address and another address are served at once', async () => {
    const tokens = fc.sample(invalidToken, { numRuns: 400, seed: 15 });
    const flooders: AddressClient[] = Array.from({ length: CONNECTIONS }, () => clientFrom(target, '127.0.0.2'));
    const sameAddress = clientFrom(target, '127.0.0.2');
    const other = clientFrom(target, '127.0.0.3');
    const answers: Reply[] = [];
    let stop = false;
    let next = 0;
    // Each flooder sends its next token once answered, as fast as it is answered, until told to stop.
    const flood = flooders.map(async (client) => {
      while (!stop && next < tokens.length) {
        const token = tokens[next++]!;
        answers.push(await client.post(ping, { authorization: `Bearer ${token}` }));
      }
    });
    try {
      // The budget is spent, then every flooder waits on a held 401.
      await expect.poll(() => answers.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(BUDGET);
      const answeredBefore = answers.length;
      // Served meanwhile, none of them held: a valid token from the flooding address, anonymous from another.
      for (let i = 0; i < 5; i += 1) {
        served(await sameAddress.post(ping, { authorization: `Bearer ${validToken()}` }));
        served(await other.post(ping));
        served(await other.post(ping, { authorization: `Bearer ${validToken()}` }));
      }
      // No flooder was answered while they were: each is held.
      expect(answers.length).toBe(answeredBefore);
      stop = true;
      await Promise.all(flood);
    } finally {
      stop = true;
      for (const client of [...flooders, sameAddress, other]) client.close();
    }
    for (const reply of answers) expectUnauthenticated(reply);
    // The first BUDGET answered at once (keep-alive), the rest held and closing their connection:
    // one per connection per hold (two holds at most, should the checks above outlast one).
    expect(answers.slice(0, BUDGET).every((reply) => reply.headers.get('connection') !== 'close')).toBe(true);
    expect(answers.length).toBeGreaterThan(BUDGET);
    expect(answers.length).toBeLessThanOrEqual(BUDGET + 2 * CONNECTIONS);
    for (const reply of answers.slice(BUDGET)) expect(reply.headers.get('connection')).toBe('close');
    expect(target.alive(), target.output()).toBe(true);
    await expectStillServing(target);
  }, 120_000);
});

describe('client-chosen addresses (forwarded by a trusted proxy)', () => {
  it('counts `__proto__` and `constructor` as the proxy that forwarded them: one budget, and a valid token there is never held', async () => {
    const proxy = clientFrom(target, TRUSTED_PROXY);
    const tokens = fc.sample(invalidToken, { numRuns: BUDGET + 1, seed: 21 });
    const names = ['__proto__', 'constructor'];
    const headers = (index: number, token: string) => ({ 'x-forwarded-for': names[index % names.length]!, authorization: `Bearer ${token}` });
    try {
      for (const [index, token] of tokens.slice(0, BUDGET).entries()) {
        const reply = await proxy.post(ping, headers(index, token));
        expectUnauthenticated(reply);
        expect(reply.headers.get('connection')).not.toBe('close');
      }
      let answered = false;
      const over = proxy.post(ping, headers(BUDGET, tokens[BUDGET]!)).then((reply) => ((answered = true), reply));
      // Held: a valid token through either name, and a forwarded address (another client), are served first.
      served(await proxy.post(ping, headers(0, validToken())));
      served(await proxy.post(ping, { 'x-forwarded-for': '198.51.100.21' }));
      expect(answered).toBe(false);
      const held = await over;
      expectUnauthenticated(held);
      expect(held.headers.get('connection')).toBe('close');
    } finally {
      proxy.close();
    }
    expect(target.alive(), target.output()).toBe(true);
    await expectStillServing(target);
  }, 60_000);
});
