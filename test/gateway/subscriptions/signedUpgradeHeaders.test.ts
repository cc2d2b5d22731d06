import { describe, expect, it } from 'vitest';
import { verifySignedHeaders } from '../../../common/signing/verifySignature.js';
import { signedUpgradeHeaders } from '../../../gateway/subgraphRequests/signedUpgradeHeaders.js';

const secret = 'upgrade-signing-secret-0123456789';
const upgrade = {
  url: new URL('ws://reviews.invalid/graphql?x=1'),
  audience: 'reviews',
  headers: { 'x-portico-identity': '{"sub":"7"}' },
  requestId: 'req-1',
  signingSecret: secret,
};

describe('signedUpgradeHeaders', () => {
  it('signs a body-less GET of the path and query for the subgraph, over the identity and request id', () => {
    const headers = signedUpgradeHeaders(upgrade);
    expect(headers['x-request-id']).toBe('req-1');
    expect(headers['x-portico-identity']).toBe('{"sub":"7"}');
    const verified = verifySignedHeaders({ secret, method: 'GET', path: '/graphql?x=1', audience: 'reviews', headers, maxAgeMs: 60_000 });
    expect(verified).toMatchObject({ ok: true, body: { length: 0 } });
  });

  it('is refused for another subgraph, another path, or a changed identity, and signs each connection with a fresh nonce', () => {
    const headers = signedUpgradeHeaders(upgrade);
    const check = (changes: Partial<{ path: string; audience: string }>, sent = headers) =>
      verifySignedHeaders({ secret, method: 'GET', path: '/graphql?x=1', audience: 'reviews', headers: sent, maxAgeMs: 60_000, ...changes }).ok;
    expect(check({ audience: 'products' })).toBe(false);
    expect(check({ path: '/graphql' })).toBe(false);
    expect(check({}, { ...headers, 'x-portico-identity': '{"sub":"8"}' })).toBe(false);
    expect(signedUpgradeHeaders(upgrade)['x-portico-nonce']).not.toBe(headers['x-portico-nonce']);
  });
});
