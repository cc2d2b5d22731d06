import { describe, expect, it } from 'vitest';
import { decodeIdentity } from '../../../common/identityHeader.js';
import type { GatewayContext, Viewer } from '../../../gateway/GatewayContext.js';
import { createCallerHeaders } from '../../../gateway/subgraphRequests/createCallerHeaders.js';

const contextAs = (viewer: Viewer | null) =>
  ({ requestId: 'req-1', signal: new AbortController().signal, deadlineAt: Date.now() + 1_000, clientAddress: '127.0.0.1', viewer }) as GatewayContext;
const clientHeaders = (entries: Record<string, string>) => Object.assign(new Map(Object.entries(entries)), { get: (name: string) => entries[name] });
const alice: Viewer = { subject: 'alice', scopes: ['read'], claims: { name: 'Alice', secret: 'not forwarded' } };

describe('createCallerHeaders', () => {
  it('sends what the rules pass on, then the verified identity, which no rule can set', () => {
    const headersOf = createCallerHeaders({
      propagateHeaders: () => ({ 'x-tenant': 't1', 'x-portico-identity': 'forged' }),
      forwardClaims: ['name'],
      forwardToken: false,
    });
    const headers = headersOf({ context: contextAs(alice), clientHeaders: clientHeaders({ authorization: 'Bearer t' }) });
    expect(headers['x-tenant']).toBe('t1');
    expect(headers.authorization).toBeUndefined();
    expect(decodeIdentity(headers['x-portico-identity']!)).toEqual({ ok: true, identity: { sub: 'alice', scopes: ['read'], claims: { name: 'Alice' } } });
  });

  it('sends no identity for an anonymous caller, and the raw token only with forwardToken', () => {
    const headersOf = createCallerHeaders({ propagateHeaders: () => ({}), forwardClaims: [], forwardToken: true });
    expect(headersOf({ context: contextAs(null), clientHeaders: clientHeaders({ authorization: 'Bearer t' }) })).toEqual({ authorization: 'Bearer t' });
    expect(headersOf({ context: contextAs(null), clientHeaders: clientHeaders({}) })).toEqual({});
  });

  it('works them out once per client request', () => {
    let calls = 0;
    const headersOf = createCallerHeaders({ propagateHeaders: () => ({ call: String(++calls) }), forwardClaims: [], forwardToken: false });
    const caller = { context: contextAs(alice), clientHeaders: clientHeaders({}) };
    expect(headersOf(caller)).toBe(headersOf({ ...caller }));
    expect(headersOf({ context: contextAs(alice), clientHeaders: clientHeaders({}) }).call).toBe('2');
    expect(calls).toBe(2);
  });
});
