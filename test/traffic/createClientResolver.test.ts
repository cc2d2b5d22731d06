import { HeaderMap, type GraphQLRequestContext } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import type { GatewayContext, Viewer } from '../../gateway/GatewayContext.js';
import { createClientResolver } from '../../gateway/traffic/createClientResolver.js';

// Only the parts of a request context the resolver reads.
function request(peer: string, headers: Record<string, string> = {}, viewer: Viewer | null = null) {
  return {
    contextValue: { requestId: 'r', signal: new AbortController().signal, clientAddress: peer, viewer },
    request: { http: { method: 'POST', headers: new HeaderMap(Object.entries(headers)), search: '', body: {} } },
  } as unknown as GraphQLRequestContext<GatewayContext>;
}

const resolve = createClientResolver({ apiKeyHeader: 'x-api-key', trustedProxies: ['10.0.0.0/8', '::1'] });

describe('createClientResolver', () => {
  it('prefers the token subject, then the API key, then the address', () => {
    const viewer: Viewer = { subject: 'user-7', scopes: [], claims: {} };
    expect(resolve(request('192.0.2.1', { 'x-api-key': 'k' }, viewer))).toBe('sub:user-7');
    const byKey = resolve(request('192.0.2.1', { 'x-api-key': 'k' }));
    expect(byKey).toMatch(/^key:/);
    expect(byKey).not.toContain(':k');
    expect(resolve(request('192.0.2.1', { 'x-api-key': 'other' }))).not.toBe(byKey);
    expect(resolve(request('192.0.2.1'))).toBe('ip:192.0.2.1');
  });

  it('reads X-Forwarded-For through trusted proxies only, right to left', () => {
    expect(resolve(request('192.0.2.1', { 'x-forwarded-for': '198.51.100.9' }))).toBe('ip:192.0.2.1');
    expect(resolve(request('10.1.2.3', { 'x-forwarded-for': '198.51.100.9' }))).toBe('ip:198.51.100.9');
    expect(resolve(request('::ffff:10.1.2.3', { 'x-forwarded-for': '203.0.113.5, 198.51.100.9, 10.9.9.9' }))).toBe('ip:198.51.100.9');
    expect(resolve(request('::1', { 'x-forwarded-for': '2001:db8::1' }))).toBe('ip:2001:db8::1');
    // A trusted proxy that forwards nothing is the client itself.
    expect(resolve(request('10.1.2.3'))).toBe('ip:10.1.2.3');
  });

  it('answers the same for an address seen before, trusted or not (verdicts are remembered)', () => {
    const forwarded = { 'x-forwarded-for': '198.51.100.9' };
    for (let round = 0; round < 3; round++) {
      expect(resolve(request('10.1.2.3', forwarded))).toBe('ip:198.51.100.9');
      expect(resolve(request('192.0.2.1', forwarded))).toBe('ip:192.0.2.1');
    }
  });

  it('trusts nobody when no proxy is listed', () => {
    const open = createClientResolver({ apiKeyHeader: 'x-api-key', trustedProxies: [] });
    expect(open(request('10.1.2.3', { 'x-forwarded-for': '198.51.100.9' }))).toBe('ip:10.1.2.3');
  });
});
