import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer, validateHeaderValue, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectStillServing, postRaw, type Reply } from './support/expectRefused.js';
import { startTarget, targetJwtSecret, type Target } from './support/startTarget.js';

/**
 * Authentication, attacked: token headers, claims, the Authorization header and the token
 * cookie, generated, against real gateway processes with a JWKS key set (HS256 and RS256 on).
 * Every request answers 4xx with a code, never 500, the process stays up, and another client is
 * served; no client text reaches a response header raw.
 */

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const realKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const CACHE_MAX_AGE_MS = 500;

// A JWKS endpoint in this process, holding the one real key; it counts its fetches.
let jwks: Server;
let jwksUrl: string;
let jwksFetches = 0;

beforeAll(async () => {
  jwks = createServer((_req, res) => {
    jwksFetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [{ ...realKey.publicKey.export({ format: 'jwk' }), kid: 'real', alg: 'RS256', use: 'sig' }] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise((resolve) => jwks.close(resolve)));

// --- tokens built by hand: jsonwebtoken refuses to build most of these ---

// `escaped`: non-ASCII as JSON \u escapes (JSON.parse makes real characters of them; jws reads raw bytes as Latin-1).
function segment(value: unknown, escaped: boolean): string {
  const json = JSON.stringify(value) ?? 'null';
  return Buffer.from(escaped ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json).toString('base64url');
}
function token(header: unknown, claims: unknown, { escaped = true, secret = targetJwtSecret } = {}): string {
  const input = `${segment(header, escaped)}.${segment(claims, escaped)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
const wrongSecret = 'not-the-target-secret-0123456789';
// Under Node's 16 KiB header limit once base64url-encoded (a larger one is refused by Node's parser: 431 REQUEST_HEADERS_TOO_LARGE, see answerClientErrors).
const fitsInAHeader = (value: unknown) => (JSON.stringify(value) ?? '').length <= 8000;
const query = { query: '{ __typename }' };

// --- what is generated ---

const hostileChar = fc.constantFrom(
  '\r',
  '\n',
  '\r\n',
  '\0',
  '\u2028',
  '\u2029',
  '\u0100',
  '\uffff',
  '\ud800',
  '😀',
  'é',
  '"',
  '\\',
  ';',
  ',',
  '=',
  '%',
  ' ',
  'X-Injected: 1',
  '__proto__',
);
const hostileText = fc.oneof(
  fc.array(fc.oneof(hostileChar, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 20 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.integer({ min: 1000, max: 5000 }).map((n) => `${'A'.repeat(n)}\r\n`),
);
const headerValue = fc.oneof(hostileText, fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('HS256', 'RS256', 'none', 'HS256\r\nX-Injected: 1'));
// What fetch can send in a header: Latin-1 without controls or DEL (Node's parser refuses those itself, with a bare 400).
const sendableText = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((code) => String.fromCharCode(code)),
  maxLength: 200,
});

/** A refusal of authentication, whose headers hold nothing raw. */
function expectUnauthenticated(reply: Reply): void {
  expectRefused(reply, ['UNAUTHENTICATED']);
  expect(reply.status).toBe(401);
  expect(reply.headers.get('x-injected')).toBeNull();
  const challenge = reply.headers.get('www-authenticate');
  expect(challenge).not.toBeNull();
  expect(() => validateHeaderValue('www-authenticate', challenge!)).not.toThrow();
  expect(challenge).toMatch(/^Bearer realm="portico"(?:, error="invalid_(?:token|request)", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]*")?$/);
  expect(JSON.stringify(reply.body)).not.toContain(jwksUrl);
}

describe.each(['development', 'production'] as const)('authentication under attack (%s)', (mode) => {
  let target: Target;
  const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

  beforeAll(async () => {
    target = await startTarget({
      mode,
      config: {
        authentication: {
          mode: 'optional',
          secret: '${env.PORTICO_JWT_SECRET}',
          algorithms: ['HS256', 'RS256'],
          cookie: 'session',
          jwks: { url: jwksUrl, cacheMaxAgeMs: CACHE_MAX_AGE_MS, refetchPerMinute: 5 },
        },
        // Refused requests may count against the address: here only authentication is under test.
        rateLimit: { enabled: false },
      },
    });
  });
  afterAll(async () => {
    await target?.close();
  });

  it('survives the reported token (CR/LF in the header alg), and its non-Latin-1 variant', async () => {
    for (const alg of ['HS256\r\nX-Injected: 1', 'HS256\u0100', 'HS256\u2028']) {
      for (const escaped of [true, false]) {
        expectUnauthenticated(await postRaw(target, query, bearer(token({ alg, typ: 'JWT' }, { sub: '1', exp: now() + 60 }, { escaped }))));
      }
    }
    // The exact bytes of the report: header {"alg":"HS256\r\nX-Injected: 1"}.
    const reported = `${Buffer.from('{"alg":"HS256\\r\\nX-Injected: 1"}').toString('base64url')}.${Buffer.from('{"sub":"1"}').toString('base64url')}.c2ln`;
    expectUnauthenticated(await postRaw(target, query, bearer(reported)));
    await expectStillServing(target);
  });

  it('refuses generated token headers (alg, kid, anything) with 401', async () => {
    await fc.assert(
      fc.asyncProperty(
        headerValue,
        fc.option(headerValue, { nil: undefined }),
        fc.dictionary(fc.string({ maxLength: 5 }), headerValue, { maxKeys: 2 }),
        fc.boolean(),
        async (alg, kid, extra, escaped) => {
          const header = { ...extra, alg, ...(kid === undefined ? {} : { kid }) };
          if (!fitsInAHeader(header)) return;
          expectUnauthenticated(await postRaw(target, query, bearer(token(header, { sub: '1', exp: now() + 60 }, { escaped, secret: wrongSecret }))));
        },
      ),
      { numRuns: 60 },
    );
    await expectStillServing(target);
  });

  it('refuses tokens whose payload is generated text, not JSON (typ JWT makes jws parse it)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileText, sendableText), fc.constantFrom('JWT', 'jwt', undefined), async (payload, typ) => {
        const value = `${segment({ alg: 'HS256', ...(typ ? { typ } : {}) }, true)}.${Buffer.from(payload).toString('base64url')}.c2ln`;
        expectUnauthenticated(await postRaw(target, query, bearer(value)));
      }),
      { numRuns: 40 },
    );
    await expectStillServing(target);
  });

  it('refuses generated claims in tokens without exp (required by default), or badly signed', async () => {
    const claims = fc
      .record(
        { sub: headerValue, scope: headerValue, scp: fc.array(hostileText, { maxLength: 3 }), tenant: hostileText, iat: fc.oneof(fc.integer(), hostileText) },
        { requiredKeys: [] },
      )
      .filter(fitsInAHeader);
    await fc.assert(
      fc.asyncProperty(claims, fc.boolean(), fc.boolean(), async (generated, signedRight, escaped) => {
        const refused = signedRight
          ? token({ alg: 'HS256' }, generated, { escaped })
          : token({ alg: 'HS256' }, { ...generated, exp: now() + 60 }, { escaped, secret: wrongSecret });
        expectUnauthenticated(await postRaw(target, query, bearer(refused)));
      }),
      { numRuns: 60 },
    );
    await expectStillServing(target);
  });

  it('accepts valid tokens carrying generated claims without failing (a query that needs no subgraph)', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileText.filter((sub) => sub !== ''),
        hostileText,
        async (sub, scope) => {
          const reply = await postRaw(target, query, bearer(token({ alg: 'HS256', typ: 'JWT' }, { sub, scope, exp: now() + 60 })));
          expect(reply.status, JSON.stringify(reply.body)).toBe(200);
          expect(reply.body?.data).toEqual({ __typename: 'Query' });
        },
      ),
      { numRuns: 30 },
    );
    await expectStillServing(target);
  });

  it('refuses generated Authorization headers with 401', async () => {
    const authorization = fc
      .oneof(
        sendableText.map((text) => `Bearer ${text}`),
        sendableText.map((text) => `Basic ${text}`),
        sendableText,
        fc
          .tuple(
            fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Bearer  '),
            fc.string({ unit: fc.constantFrom('a', '.', '-', '_', '=', '+', '/', '~'), maxLength: 300 }),
          )
          .map(([scheme, value]) => `${scheme} ${value}`),
      )
      .filter((value) => value.trim() !== '');
    await fc.assert(
      fc.asyncProperty(authorization, async (value) => {
        expectUnauthenticated(await postRaw(target, query, { authorization: value }));
      }),
      { numRuns: 60 },
    );
    await expectStillServing(target);
  });

  it('refuses generated token cookies with 401, bad percent-encoding included', async () => {
    const cookieValue = fc.oneof(
      sendableText,
      fc.string({ unit: fc.constantFrom('%', 'E', '0', 'A', 'z', '4', '.', ';', '='), maxLength: 40 }),
      fc.constantFrom('%', '%E0%A4%A', '%FF', '%uD800', `${token({ alg: 'HS256' }, { sub: '1', exp: now() + 60 }, { secret: wrongSecret })}%`),
    );
    await fc.assert(
      fc.asyncProperty(cookieValue, async (value) => {
        expectUnauthenticated(await postRaw(target, query, { cookie: `theme=dark; session=${value}` }));
      }),
      { numRuns: 60 },
    );
    await expectStillServing(target);
  });

  it('keeps accepting a valid JWKS token through a flood of invented kids, past the cache age', async () => {
    const invented = (i: number) =>
      jwt.sign({ sub: '7', exp: now() + 60 }, realKey.privateKey, { algorithm: 'RS256', keyid: `invented-${mode}-${i}-${Math.random()}` });
    const valid = () => jwt.sign({ sub: '7', exp: now() + 60 }, realKey.privateKey, { algorithm: 'RS256', keyid: 'real' });
    const me = { query: '{ me { id } }' };
    expect((await postRaw(target, me, bearer(valid()))).body).toEqual({ data: { me: { id: '7' } } });
    const before = jwksFetches;
    const flood = async () => {
      for (let i = 0; i < 40; i += 1) expectUnauthenticated(await postRaw(target, me, bearer(invented(i))));
    };
    await flood();
    await sleep(CACHE_MAX_AGE_MS + 200); // the real key's cache entry has expired
    await flood();
    expect((await postRaw(target, me, bearer(valid()))).body).toEqual({ data: { me: { id: '7' } } });
    // Invented kids were looked up within the budgets (5 a minute for unknown kids, 5 for expired sets).
    expect(jwksFetches - before).toBeLessThanOrEqual(10);
    await expectStillServing(target);
  });
});
