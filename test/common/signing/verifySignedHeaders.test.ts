import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../../common/signing/signRequest.js';
import { bodyMatchesDigest, verifySignedHeaders } from '../../../common/signing/verifySignature.js';

const secret = 'unit-test-signing-secret-0123';
const body = '{"query":"{ me { id } }"}';
const now = 1_800_000_000_000;
const sent = { 'x-request-id': 'req-9', 'x-portico-deadline-ms': '1500', 'x-portico-identity': '{"sub":"7","scopes":[],"claims":{}}' };
const headers: Record<string, string> = {
  ...sent,
  ...signRequest(secret, { method: 'POST', path: '/graphql', audience: 'reviews', body, headers: sent, now }),
};
const verify = (overrides: Record<string, string | undefined> = {}, options: { audience?: string; path?: string; method?: string; now?: number } = {}) =>
  verifySignedHeaders({
    secret,
    method: options.method ?? 'POST',
    path: options.path ?? '/graphql',
    audience: options.audience ?? 'reviews',
    headers: { ...headers, ...overrides },
    maxAgeMs: 60_000,
    now: options.now ?? now + 1_000,
  });

describe('verifySignedHeaders', () => {
  it('accepts the request as signed, from its headers alone, and says what the body must be', () => {
    const verdict = verify();
    expect(verdict).toEqual({
      ok: true,
      nonce: headers['x-portico-nonce'],
      expiresAt: now + 60_000,
      body: { sha256: expect.any(String), length: Buffer.byteLength(body) },
    });
    if (!verdict.ok) return;
    expect(bodyMatchesDigest(Buffer.from(body), verdict.body)).toBe(true);
    expect(bodyMatchesDigest(Buffer.from(body.replace('me', 'ME')), verdict.body)).toBe(false);
    expect(bodyMatchesDigest(Buffer.from(`${body} `), verdict.body)).toBe(false);
  });

  it.each([
    ['another subgraph', {}, { audience: 'accounts' }, /does not match/],
    ['another path', {}, { path: '/graphql?x=1' }, /does not match/],
    ['another method', {}, { method: 'GET' }, /does not match/],
    ['a changed deadline', { 'x-portico-deadline-ms': '999999' }, {}, /does not match/],
    ['a removed deadline', { 'x-portico-deadline-ms': undefined }, {}, /does not match/],
    ['a changed request id', { 'x-request-id': 'req-10' }, {}, /does not match/],
    ['a changed identity', { 'x-portico-identity': '{"sub":"1","scopes":[],"claims":{}}' }, {}, /does not match/],
    ['a changed nonce', { 'x-portico-nonce': 'BBBBBBBBBBBBBBBBBBBBBB' }, {}, /does not match/],
    ['a changed body digest', { 'x-portico-body-digest': `sha256=${'A'.repeat(43)};length=25` }, {}, /does not match/],
    ['no nonce', { 'x-portico-nonce': undefined }, {}, /nonce is missing or malformed/],
    ['no body digest', { 'x-portico-body-digest': undefined }, {}, /body digest header is missing or malformed/],
    ['a scheme v1 signature', { 'x-portico-signature': `v1=${'0'.repeat(64)}` }, {}, /not of scheme v2/],
    ['a stale timestamp', {}, { now: now + 61_000 }, /stale/],
    ['no signature', { 'x-portico-signature': undefined }, {}, /not signed/],
  ])('refuses %s', (_what, overrides, options, reason) => {
    const verdict = verify(overrides, options);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it('never throws, whatever the headers hold', () => {
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.record({
          'x-portico-signature': value,
          'x-portico-timestamp': value,
          'x-portico-nonce': value,
          'x-portico-body-digest': value,
          'x-request-id': value,
        }),
        (garbage) => {
          expect(verify(garbage).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
