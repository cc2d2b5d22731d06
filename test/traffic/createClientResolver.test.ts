import { HeaderMap, type GraphQLRequestContext } from '@apollo/server';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { GatewayContext, Viewer } from '../../gateway/GatewayContext.js';
import { createAddressResolver } from '../../gateway/traffic/createAddressResolver.js';
import { createClientResolver } from '../../gateway/traffic/createClientResolver.js';
import { createKnownApiKeys } from '../../gateway/traffic/createKnownApiKeys.js';

// Only the parts of a request context the resolver reads.
function request(peer: string, headers: Record<string, string> = {}, viewer: Viewer | null = null) {
  return {
    contextValue: { requestId: 'r', signal: new AbortController().signal, clientAddress: peer, viewer },
    request: { http: { method: 'POST', headers: new HeaderMap(Object.entries(headers)), search: '', body: {} } },
  } as unknown as GraphQLRequestContext<GatewayContext>;
}

const logger = pino({ level: 'silent' });
const issuedKey = 'issued-key-0123456789abcdef';
const apiKeys = createKnownApiKeys({ keys: [issuedKey], redis: null, keyPrefix: 'portico:', logger });
const addressOf = createAddressResolver(['10.0.0.0/8', '::1']);
const resolve = createClientResolver({ apiKeyHeader: 'x-api-key', apiKeys, addressOf });

describe('createClientResolver', () => {
  it('prefers the token subject, then a known API key, then the address', async () => {
    const viewer: Viewer = { subject: 'user-7', scopes: [], claims: {} };
    expect(await resolve(request('192.0.2.1', { 'x-api-key': issuedKey }, viewer))).toBe('sub:user-7');
    const byKey = await resolve(request('192.0.2.1', { 'x-api-key': issuedKey }));
    expect(byKey).toMatch(/^key:[0-9a-f]{32}$/);
    expect(byKey).not.toContain(issuedKey);
    expect(await resolve(request('192.0.2.1'))).toBe('ip:192.0.2.1');
  });

  it('counts an unknown API key as no key: invented keys are the same client, their address', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 600 }), async (invented) => {
        fc.pre(invented !== issuedKey);
        expect(await resolve(request('192.0.2.1', { 'x-api-key': invented }))).toBe('ip:192.0.2.1');
      }),
      { numRuns: 200 },
    );
  });

  it('reads X-Forwarded-For through trusted proxies only, right to left', () => {
    expect(addressOf('192.0.2.1', '198.51.100.9')).toBe('192.0.2.1');
    expect(addressOf('10.1.2.3', '198.51.100.9')).toBe('198.51.100.9');
    expect(addressOf('::ffff:10.1.2.3', '203.0.113.5, 198.51.100.9, 10.9.9.9')).toBe('198.51.100.9');
    expect(addressOf('::1', '2001:db8::1')).toBe('2001:db8:0:0::/64');
    // A trusted proxy that forwards nothing is the client itself.
    expect(addressOf('10.1.2.3', undefined)).toBe('10.1.2.3');
    expect(addressOf('::ffff:192.0.2.1', undefined)).toBe('192.0.2.1');
  });

  it('counts IPv6 clients by their /64, so a subscriber cannot rotate through its 2^64 addresses', () => {
    const open = createAddressResolver([]);
    expect(open('2001:db8:1:2::1', undefined)).toBe('2001:db8:1:2::/64');
    expect(open('2001:db8:1:2:ffff:eeee:dddd:cccc', undefined)).toBe('2001:db8:1:2::/64');
    expect(open('2001:0db8:0001:0003::1', undefined)).toBe('2001:db8:1:3::/64');
    expect(open('::1', undefined)).toBe('0:0:0:0::/64');
  });

  it('answers the same for an address seen before, trusted or not (verdicts are remembered)', () => {
    for (let round = 0; round < 3; round++) {
      expect(addressOf('10.1.2.3', '198.51.100.9')).toBe('198.51.100.9');
      expect(addressOf('192.0.2.1', '198.51.100.9')).toBe('192.0.2.1');
    }
  });

  it('trusts nobody when no proxy is listed, and counts a forwarded hop that is no address as the proxy that forwarded it', () => {
    const open = createAddressResolver([]);
    expect(open('10.1.2.3', '198.51.100.9')).toBe('10.1.2.3');
    // Text that varied per request would otherwise be a bucket per request.
    expect(addressOf('10.1.2.3', `not-an-address-${'x'.repeat(500)}`)).toBe('10.1.2.3');
    expect(addressOf('10.1.2.3', 'unknown, 10.9.9.9')).toBe('10.9.9.9');
  });

  it('reads a forwarded hop with a port or in brackets as its address, so a client is one bucket whatever its port', () => {
    const keys = new Set([1001, 1002, 65535].map((port) => addressOf('10.1.2.3', `198.51.100.9:${port}`)));
    expect([...keys]).toEqual(['198.51.100.9']);
    expect(addressOf('10.1.2.3', '[2001:db8:1:2::7]')).toBe('2001:db8:1:2::/64');
    expect(addressOf('10.1.2.3', '[2001:db8:1:2::8]:443')).toBe('2001:db8:1:2::/64');
    // A trusted proxy written with its port is still trusted, and skipped.
    expect(addressOf('10.1.2.3', '198.51.100.9, 10.9.9.9:8080')).toBe('198.51.100.9');
  });
});
