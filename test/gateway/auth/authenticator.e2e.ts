import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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
  requiredClaims: [],
  cookie: null,
  forwardToken: false,
  forwardClaims: [],
};
const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: object, key: string | KeyObject = secret, options: jwt.SignOptions = {}) =>
  jwt.sign({ sub: '7', iss: 'https://issuer.example', aud: 'portico', ...claims }, key, { algorithm: 'HS256', ...options });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// The refusal: 401, WWW-Authenticate, UNAUTHENTICATED and a message naming the failed check.
async function refusal(config: AuthenticationConfig, headers: Record<string, string>) {
  const error = await createAuthenticator(config).authenticate(headers).then(
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
    ['a wrong issuer', bearer(sign({ iss: 'https://evil.example' })), 'the token issuer is not accepted (accepted: https://issuer.example)', 'invalid_token'],
    ['a wrong audience', bearer(sign({ aud: 'someone-else' })), 'the token audience is not accepted (accepted: portico)', 'invalid_token'],
    ['a disallowed algorithm', bearer(sign({}, secret, { algorithm: 'HS512' })), 'the token is signed with HS512, which is not accepted (accepted: HS256)', 'invalid_token'],
    ['alg none', bearer(jwt.sign({ sub: '7' }, '', { algorithm: 'none' })), 'the token is signed with none, which is not accepted', 'invalid_token'],
    ['no subject', bearer(jwt.sign({ iss: 'https://issuer.example', aud: 'portico' }, secret)), 'the token has no subject ("sub" claim)', 'invalid_token'],
  ])('%s', async (_case, headers, reason, kind) => {
    const { message, challenge } = await refusal(base, headers as Record<string, string>);
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
    expect((await refusal(rsa, bearer(forged))).message).toContain('the token is signed with HS256, which is not accepted (accepted: RS256)');
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
  const config = () => ({ ...base, secret: null, algorithms: ['RS256' as const], jwks: { url, cacheMaxAgeMs: 600_000, refetchPerMinute: 10, timeoutMs: 2000 } });
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

  it('answers 401, not 500, when the key set cannot be fetched', async () => {
    const dead = { ...config(), jwks: { ...config().jwks, url: 'http://127.0.0.1:1/jwks.json' } };
    const { message } = await refusal(dead, bearer(tokenWith(keyA.privateKey, 'a')));
    expect(message).toBe('Authentication failed: the key set at http://127.0.0.1:1/jwks.json could not be fetched, so the token cannot be verified.');
  });
});
