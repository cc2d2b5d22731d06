import { describe, expect, it } from 'vitest';
import { computeSignature } from '../../../common/signing/signingPayload.js';

// Gateways and subgraphs of different releases must agree on every byte of the scheme.
const parts = {
  method: 'post',
  path: '/graphql',
  body: '{"query":"{ me { id } }"}',
  identity: { 'x-portico-subject': 'user-1', 'x-portico-scopes': 'read write' },
  timestamp: '1700000000000',
};
const expected = 'v1=570cf5697591740195ae9b2d12613a3a58192e204d8488fe999bdb964a6a712d';

describe('computeSignature', () => {
  it('is HMAC-SHA256 over version, method, path, timestamp, body digest and identity headers, one per line', () => {
    expect(computeSignature('test-secret-of-24-chars!', parts)).toBe(expected);
  });

  it('signs a body given as bytes the same as the same text', () => {
    expect(computeSignature('test-secret-of-24-chars!', { ...parts, body: Buffer.from(parts.body) })).toBe(expected);
  });

  it('uses the secret it is given, not the one it saw before', () => {
    expect(computeSignature('test-secret-of-24-chars!', parts)).toBe(expected);
    expect(computeSignature('another-secret-24-chars!', parts)).not.toBe(expected);
    expect(computeSignature('test-secret-of-24-chars!', parts)).toBe(expected);
  });
});
