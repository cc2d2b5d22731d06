import { describe, expect, it } from 'vitest';
import { bodyDigestOf } from '../../../common/signing/bodyDigest.js';
import { computeSignature } from '../../../common/signing/signingPayload.js';
import { signRequest } from '../../../common/signing/signRequest.js';

// Gateways and subgraphs of different releases must agree on every byte of the scheme: these
// known answers pin scheme v2. Changing them means a new version tag.
const body = '{"query":"{ me { id } }"}';
const parts = {
  method: 'post',
  path: '/graphql',
  audience: 'accounts',
  timestamp: '1700000000000',
  nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
  bodyDigest: bodyDigestOf(body),
  requestId: 'req-1',
  deadline: '2500',
  identity: '{"sub":"user-1","scopes":["read","write"],"claims":{}}',
};
const expected = 'v2=8285bb3d0127255310f7ab5dc9487c1d7fabc6b4d66a46bc4911ea3cb2bfd4e6';

describe('computeSignature (scheme v2)', () => {
  it('digests the body as sha256 base64url with its length', () => {
    expect(parts.bodyDigest).toBe('sha256=ZNSuQEw5PzkWowiEXx324szUJD2InTiD-bLdfanTERQ;length=25');
    expect(bodyDigestOf(Buffer.from(body))).toBe(parts.bodyDigest);
  });

  it('is HMAC-SHA256 over version, method, path, audience, timestamp, nonce, body digest, request id, deadline and identity, one per line', () => {
    expect(computeSignature('test-secret-of-24-chars!', parts)).toBe(expected);
  });

  it('signs as signRequest does from the outgoing headers', () => {
    const headers = { 'x-request-id': 'req-1', 'x-portico-deadline-ms': '2500', 'x-portico-identity': parts.identity };
    const signed = signRequest('test-secret-of-24-chars!', {
      method: 'POST',
      path: '/graphql',
      audience: 'accounts',
      body,
      headers,
      now: 1700000000000,
      nonce: parts.nonce,
    });
    expect(signed).toEqual({
      'x-portico-timestamp': parts.timestamp,
      'x-portico-nonce': parts.nonce,
      'x-portico-body-digest': parts.bodyDigest,
      'x-portico-signature': expected,
    });
  });

  it('refuses a part with a line break, whichever part holds it', () => {
    for (const name of Object.keys(parts)) {
      for (const sep of ['\n', '\r']) {
        expect(() => computeSignature('test-secret-of-24-chars!', { ...parts, [name]: `a${sep}b` }), name).toThrow(TypeError);
      }
    }
  });

  it('changes with every part', () => {
    for (const [name, value] of Object.entries(parts)) {
      expect(computeSignature('test-secret-of-24-chars!', { ...parts, [name]: `${value}x` }), name).not.toBe(expected);
    }
  });

  it('makes a fresh nonce for every request', () => {
    const sign = () =>
      signRequest('test-secret-of-24-chars!', { method: 'POST', path: '/graphql', audience: 'accounts', body, headers: {} })['x-portico-nonce'];
    expect(sign()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sign()).not.toBe(sign());
  });

  it('uses the secret it is given, not the one it saw before', () => {
    expect(computeSignature('test-secret-of-24-chars!', parts)).toBe(expected);
    expect(computeSignature('another-secret-24-chars!', parts)).not.toBe(expected);
    expect(computeSignature('test-secret-of-24-chars!', parts)).toBe(expected);
  });

  it('refuses to sign a part with a line break, which could make two requests sign alike', () => {
    expect(() => computeSignature('test-secret-of-24-chars!', { ...parts, audience: 'a\nb' })).toThrow(TypeError);
  });
});
