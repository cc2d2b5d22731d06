import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, validateHeaderValue, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../gateway/auth/createAuthenticator.js';
import type { AuthenticationConfig } from '../../../gateway/config/SecurityConfig.js';

const secret = 'test-jwt-secret-0123456789abcdef';
const base: AuthenticationConfig = {
  mode: 'optional',
  algorithms: ['HS256'],
  secret,
  publicKeyFile: null,
  jwks: null,
  issuer: ['https://issuer.example'],
  audience: ['portico'],
  clockToleranceSeconds: 5,
  requireExpiry: true,
  maxTokenAgeSeconds: null,
  requiredClaims: [],
  cookie: null,
  forwardToken: false,
  forwardClaims: [],
};
const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: object, key: string | KeyObject = secret, options: jwt.SignOptions = {}) =>
  jwt.sign({ sub: '7', iss: 'https://issuer.example', aud: 'portico', exp: now() + 300, ...claims }, key, { algorithm: 'HS256', ...options });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Non-ASCII as JSON escapes: jws reads a token's header as Latin-1, JSON.parse then makes them real characters.
const base64url = (value: unknown) =>
  Buffer.from(JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)).toString('base64url');
// A token with any header at all, HMAC-signed as HS256 would be (jsonwebtoken refuses to build these).
function withHeader(header: Record<string, unknown>, claims: object = { sub: '7', exp: now() + 300 }): string {
  const input = `${base64url(header)}.${base64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A token whose payload is this exact JSON text (JSON.stringify could not write `1e999`). */
function signedText(header: Record<string, unknown>, payload: string): string {
  const input = `${base64url(header)}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

// The refusal: 401, WWW-Authenticate, UNAUTHENTICATED and a message naming the failed check.
async function refusal(config: AuthenticationConfig, headers: Record<string, string>) {
  const error = await createAuthenticator(config)
    .authenticate(headers)
    .then(
      () => undefined,
      (thrown: unknown) => thrown as { status: number; code: string; message: string; headers: Record<string, string> },
    );
  expect(error, 'the request should have been refused').toBeDefined();
  expect(error!.status).toBe(401);
  expect(error!.code).toBe('UNAUTHENTICATED');
  expect(error!.message).not.toContain(secret);
  return { message: error!.message, challenge: error!.headers['www-authenticate'] };
}

describe('a valid token', () => {
  it('gives the caller, with scopes from "scope" or "scp"', async () => {
    const authenticator = createAuthenticator(base);
    expect(await authenticator.authenticate(bearer(sign({ scope: 'a b' })))).toMatchObject({ subject: '7', scopes: ['a', 'b'] });
    expect(await authenticator.authenticate(bearer(sign({ scp: ['c'] })))).toMatchObject({ scopes: ['c'] });
  });

  it('is read from the configured cookie when there is no Authorization header', async () => {
    const viewer = await createAuthenticator({ ...base, cookie: 'session' }).authenticate({ cookie: `theme=dark; session=${sign({})}` });
    expect(viewer?.subject).toBe('7');
  });

  it('is accepted within the clock tolerance', async () => {
    expect(await createAuthenticator(base).authenticate(bearer(sign({ exp: now() - 2 })))).not.toBeNull();
  });
});

describe('the mode', () => {
  it('optional: no token is an anonymous caller', async () => {
    expect(await createAuthenticator(base).authenticate({})).toBeNull();
  });

  it('required: no token is 401 with a bare challenge', async () => {
    expect(await refusal({ ...base, mode: 'required' }, {})).toEqual({
      message: 'Authentication failed: this gateway requires a token: send "Authorization: Bearer <token>".',
      challenge: 'Bearer realm="portico"',
    });
  });

  it('off: tokens are ignored', async () => {
    expect(await createAuthenticator({ ...base, mode: 'off' }).authenticate(bearer('garbage'))).toBeNull();
  });
});

describe('every bad token is refused, saying why', () => {
  it.each([
    ['a malformed header', { authorization: 'Token abc' }, 'the Authorization header must be "Bearer <token>"', 'invalid_request'],
    ['a malformed token', bearer('not.a.jwt'), 'the token is not a well-formed JWT', 'invalid_token'],
    ['a bad signature', bearer(sign({}, 'another-secret-0123456789abcdef')), 'the token signature is invalid', 'invalid_token'],
    ['an expired token', bearer(sign({ exp: now() - 60 })), 'the token expired at', 'invalid_token'],
    ['a token not valid yet', bearer(sign({ nbf: now() + 60 })), 'the token is not valid before', 'invalid_token'],
    ['a wrong issuer', bearer(sign({ iss: 'https://evil.example' })), 'the token issuer ("iss" claim) is not accepted', 'invalid_token'],
    ['a wrong audience', bearer(sign({ aud: 'someone-else' })), 'the token audience ("aud" claim) is not accepted', 'invalid_token'],
    [
      'a disallowed algorithm',
      bearer(sign({}, secret, { algorithm: 'HS512' })),
      'the token is signed with "HS512", which is not accepted (accepted: HS256)',
      'invalid_token',
    ],
    ['alg none', bearer(jwt.sign({ sub: '7' }, '', { algorithm: 'none' })), 'the token is signed with "none", which is not accepted', 'invalid_token'],
    [
      'no subject',
      bearer(jwt.sign({ iss: 'https://issuer.example', aud: 'portico', exp: now() + 60 }, secret)),
      'the token has no subject ("sub" claim)',
      'invalid_token',
    ],
    [
      'a "typ":"JWT" token whose payload is not JSON',
      bearer(`${base64url({ alg: 'HS256', typ: 'JWT' })}.${Buffer.from('not json').toString('base64url')}.c2ln`),
      'the token is not a well-formed JWT',
      'invalid_token',
    ],
    [
      'no expiry',
      bearer(jwt.sign({ sub: '7', iss: 'https://issuer.example', aud: 'portico' }, secret)),
      'the token has no expiry ("exp" claim)',
      'invalid_token',
    ],
    [
      'an "exp" of 1e999 (Infinity once parsed: no expiry at all)',
      bearer(signedText({ alg: 'HS256' }, '{"sub":"7","iss":"https://issuer.example","aud":"portico","exp":1e999}')),
      'the token has no expiry ("exp" claim)',
      'invalid_token',
    ],
    [
      'a header extension it must understand ("crit")',
      bearer(withHeader({ alg: 'HS256', crit: ['x-unknown'], 'x-unknown': 1 }, { sub: '7', iss: 'https://issuer.example', aud: 'portico', exp: now() + 300 })),
      'the token names header extensions that must be understood ("crit"); this gateway understands none',
      'invalid_token',
    ],
    [
      'an "exp" that is no number',
      bearer(withHeader({ alg: 'HS256' }, { sub: '7', iss: 'https://issuer.example', aud: 'portico', exp: 'tomorrow' })),
      'the token\'s "exp" claim is not a time in seconds',
      'invalid_token',
    ],
    [
      'an "exp" far out of range',
      bearer(withHeader({ alg: 'HS256' }, { sub: '7', iss: 'https://issuer.example', aud: 'portico', exp: -1e300 })),
      'the token expired at a time out of range',
      'invalid_token',
    ],
    [
      'a cookie that is not valid percent-encoding',
      { cookie: `session=${sign({})}%E0%A4%A` },
      'the cookie "session" is not valid percent-encoding',
      'invalid_request',
    ],
  ])('%s', async (_case, headers, reason, kind) => {
    const { message, challenge } = await refusal({ ...base, cookie: 'session' }, headers as Record<string, string>);
    expect(message).toContain(reason);
    expect(challenge).toMatch(new RegExp(`^Bearer realm="portico", error="${kind}", error_description="`));
  });

  it('a token without a required claim', async () => {
    const { message } = await refusal({ ...base, requiredClaims: ['tenant'] }, bearer(sign({})));
    expect(message).toBe('Authentication failed: the token lacks the required claim "tenant".');
  });

  it('an invalid token even in optional mode (a wrong token is not anonymity)', async () => {
    await refusal(base, bearer(sign({}, 'another-secret-0123456789abcdef')));
  });
});

describe('expiry and age', () => {
  it('a token without "exp" passes only where requireExpiry is off', async () => {
    const forever = jwt.sign({ sub: '7', iss: 'https://issuer.example', aud: 'portico' }, secret);
    expect((await createAuthenticator({ ...base, requireExpiry: false }).authenticate(bearer(forever)))?.subject).toBe('7');
  });

  it('maxTokenAgeSeconds refuses tokens issued too long ago, and tokens without "iat"', async () => {
    const aged = { ...base, maxTokenAgeSeconds: 60 };
    expect((await createAuthenticator(aged).authenticate(bearer(sign({}))))?.subject).toBe('7');
    expect((await refusal(aged, bearer(sign({ iat: now() - 120 })))).message).toContain(
      'the token is too old: this gateway accepts tokens for 60 seconds after they are issued',
    );
    expect((await refusal(aged, bearer(sign({}, secret, { noTimestamp: true })))).message).toContain('the token has no issue time ("iat" claim)');
  });
});

describe('a hostile token header is refused, and its text never reaches a header raw', () => {
  const long = 'A'.repeat(10_000);
  it.each([
    ['CR/LF in alg (the reported crash)', { alg: 'HS256\r\nX-Injected: 1', typ: 'JWT' }, '"HS256\\u000d\\u000aX-Injected: 1"'],
    ['a character above Latin-1 in alg', { alg: 'HS256\u0100' }, '"HS256\\u0100"'],
    ['NUL and U+2028 in alg', { alg: 'HS\u0000256\u2028' }, '"HS\\u0000256\\u2028"'],
    ['an alg that is an object', { alg: { toString: 'x', valueOf: 1 } }, '"{\\"toString\\":\\"x\\",\\"valueOf\\":1}"'],
    ['an alg that is null', { alg: null }, '"null"'],
    ['a very long alg', { alg: long }, `"${'A'.repeat(64)}"...`],
    ['a kid that is not a string', { alg: 'HS256', kid: { a: 1 } }, 'the token\'s key id ("kid") is not a string'],
  ])('%s', async (_case, header, quoted) => {
    const { message, challenge } = await refusal(base, bearer(withHeader(header)));
    expect(message).toContain(quoted);
    expect(message.length).toBeLessThan(300);
    expect(() => validateHeaderValue('www-authenticate', challenge)).not.toThrow();
    expect(challenge).toMatch(/^Bearer realm="portico", error="invalid_token", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]{1,256}"$/);
  });

  it('CR/LF in a kid looked up in a key set', async () => {
    const jwks = {
      ...base,
      algorithms: ['RS256' as const],
      secret: null,
      jwks: { url: 'http://127.0.0.1:1/jwks.json', cacheMaxAgeMs: 1000, refetchPerMinute: 1, timeoutMs: 500 },
    };
    const { challenge } = await refusal(jwks, bearer(withHeader({ alg: 'RS256', kid: 'k\r\nSet-Cookie: a=b' })));
    expect(() => validateHeaderValue('www-authenticate', challenge)).not.toThrow();
  });
});

describe('public keys', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'portico-keys-'));
  const publicKeyFile = join(dir, 'public.pem');
  writeFileSync(publicKeyFile, pem);
  const rsa: AuthenticationConfig = { ...base, secret: null, algorithms: ['RS256'], publicKeyFile };

  it('verifies an RS256 token with the PEM public key', async () => {
    const viewer = await createAuthenticator(rsa).authenticate(bearer(sign({}, privateKey, { algorithm: 'RS256' })));
    expect(viewer?.subject).toBe('7');
  });

  it('refuses an HS256 token forged with the public key as its secret (algorithm confusion)', async () => {
    const forged = sign({}, pem, { algorithm: 'HS256' });
    expect((await refusal(rsa, bearer(forged))).message).toContain('the token is signed with "HS256", which is not accepted (accepted: RS256)');
    // Even when HS256 is accepted too, an HS token is checked against the secret only.
    expect((await refusal({ ...rsa, algorithms: ['RS256', 'HS256'], secret }, bearer(forged))).message).toContain('the token signature is invalid');
  });
});

describe('JWKS', () => {
  let server: Server;
  let url: string;
  let served: object[] = [];
  let fetches = 0;
  const keyA = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyB = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' });
  const config = () => ({
    ...base,
    secret: null,
    algorithms: ['RS256' as const],
    jwks: { url, cacheMaxAgeMs: 600_000, refetchPerMinute: 10, timeoutMs: 2000 },
  });
  const tokenWith = (key: KeyObject, kid: string) => sign({}, key, { algorithm: 'RS256', keyid: kid });

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('follows a key rotation without a restart, fetching again only for the unknown kid', async () => {
    served = [jwk(keyA.publicKey, 'a')];
    const authenticator = createAuthenticator(config());
    expect((await authenticator.authenticate(bearer(tokenWith(keyA.privateKey, 'a'))))?.subject).toBe('7');
    expect((await authenticator.authenticate(bearer(tokenWith(keyA.privateKey, 'a'))))?.subject).toBe('7');
    const before = fetches;
    served = [jwk(keyA.publicKey, 'a'), jwk(keyB.publicKey, 'b')];
    expect((await authenticator.authenticate(bearer(tokenWith(keyB.privateKey, 'b'))))?.subject).toBe('7');
    expect(fetches).toBe(before + 1);
  });

  it('refuses an unknown kid', async () => {
    served = [jwk(keyA.publicKey, 'a')];
    const { message } = await refusal(config(), bearer(tokenWith(keyB.privateKey, 'nope')));
    expect(message).toBe('Authentication failed: no key with id "nope" in the key set.');
  });

  it('refuses a token signed by another key under a known kid', async () => {
    served = [jwk(keyA.publicKey, 'a')];
    expect((await refusal(config(), bearer(tokenWith(keyB.privateKey, 'a')))).message).toContain('the token signature is invalid');
  });

  it('keeps serving a known key through a flood of invented kids, past the cache age (no lockout)', async () => {
    served = [jwk(keyA.publicKey, 'a')];
    const jwks = { url, cacheMaxAgeMs: 300, refetchPerMinute: 3, timeoutMs: 2000 };
    const authenticator = createAuthenticator({ ...config(), jwks });
    const valid = () => authenticator.authenticate(bearer(tokenWith(keyA.privateKey, 'a')));
    expect((await valid())?.subject).toBe('7');
    const before = fetches;
    const flood = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        await authenticator.authenticate(bearer(tokenWith(keyB.privateKey, `invented-${i}-${Math.random()}`))).then(
          () => expect.fail('an invented kid was accepted'),
          (error: { status: number; message: string }) => {
            expect(error.status).toBe(401);
            expect(error.message).toMatch(/no key with id "invented-/);
          },
        );
      }
    };
    await flood(30);
    await sleep(400); // the cache entry of "a" has expired
    await flood(30);
    expect((await valid())?.subject).toBe('7');
    await flood(10);
    expect((await valid())?.subject).toBe('7');
    // The invented kids were looked up, but only within the two budgets of 3 a minute each.
    expect(fetches - before).toBeGreaterThan(0);
    expect(fetches - before).toBeLessThanOrEqual(6);
  });

  it('keeps serving a known key while the key set is down (stale while it revalidates)', async () => {
    served = [jwk(keyA.publicKey, 'a')];
    const authenticator = createAuthenticator({ ...config(), jwks: { url, cacheMaxAgeMs: 200, refetchPerMinute: 10, timeoutMs: 2000 } });
    expect((await authenticator.authenticate(bearer(tokenWith(keyA.privateKey, 'a'))))?.subject).toBe('7');
    served = [];
    await sleep(300);
    for (let i = 0; i < 5; i += 1) expect((await authenticator.authenticate(bearer(tokenWith(keyA.privateKey, 'a'))))?.subject).toBe('7');
  });

  it('answers 401, not 500, when the key set cannot be fetched', async () => {
    const dead = { ...config(), jwks: { ...config().jwks, url: 'http://127.0.0.1:1/jwks.json' } };
    const { message } = await refusal(dead, bearer(tokenWith(keyA.privateKey, 'a')));
    expect(message).toBe('Authentication failed: the key set could not be fetched, so the token cannot be verified.');
    expect(message).not.toContain('127.0.0.1');
  });
});
