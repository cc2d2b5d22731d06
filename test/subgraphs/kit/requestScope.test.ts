import { validateHeaderValue, type IncomingMessage } from 'node:http';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { identityHeadersOf } from '../../../gateway/subgraphRequests/identityHeadersOf.js';
import { requestScopeOf } from '../../../subgraphs/kit/requestScope.js';

const logger = pino({ level: 'silent' });
const scopeWith = (headers: Record<string, string>) => requestScopeOf({ headers } as unknown as IncomingMessage, new AbortController().signal, logger, true);

describe('requestScopeOf', () => {
  it("turns the gateway's x-portico-deadline-ms into a deadline that backend calls honour", () => {
    const before = Date.now();
    const { deadlineAt } = scopeWith({ 'x-portico-deadline-ms': '250' });
    expect(deadlineAt).toBeGreaterThanOrEqual(before + 250);
    expect(deadlineAt).toBeLessThanOrEqual(Date.now() + 250);
  });

  it.each(['', 'soon', '-5', '1.5', '99999999999'])('ignores a malformed header %j: the backend timeouts still apply', (value) => {
    expect(scopeWith({ 'x-portico-deadline-ms': value }).deadlineAt).toBeUndefined();
  });

  it('has no deadline when the caller sent none', () => {
    expect(scopeWith({}).deadlineAt).toBeUndefined();
  });
});

describe('the identity a subgraph reads', () => {
  const signedScope = (headers: Record<string, string>) =>
    requestScopeOf({ headers } as unknown as IncomingMessage, new AbortController().signal, logger, true);

  it('is exactly what the gateway sent, for any unicode subject, scopes and claims, in a valid header value', () => {
    // `binary` strings include lone surrogates, control characters and everything above U+FFFF.
    const text = fc.string({ unit: 'binary', maxLength: 30 });
    fc.assert(
      fc.property(
        text.filter((sub) => sub !== ''),
        fc.array(text, { maxLength: 4 }),
        fc.dictionary(text, fc.jsonValue(), { maxKeys: 3 }),
        (sub, scopes, claims) => {
          const header = identityHeadersOf({ subject: sub, scopes, claims }, Object.keys(claims))['x-portico-identity']!;
          // What Node's HTTP layer (and undici) accept in a header value, with no edge whitespace.
          expect(header).toMatch(/^[\x21-\x7e][\x20-\x7e]*[\x21-\x7e]$/);
          expect(validateHeaderValue('x-portico-identity', header)).toBeUndefined();
          const viewer = signedScope({ 'x-portico-identity': header }).viewer;
          expect(viewer?.subject).toBe(sub);
          expect(viewer?.scopes).toEqual(scopes);
          expect(viewer?.claims).toEqual(JSON.parse(JSON.stringify(claims)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is nobody when the header is absent, and a 400 when it is not an identity', () => {
    expect(signedScope({}).viewer).toBeNull();
    for (const bad of ['Zoë', '"just a string"', '{"sub":""}', '{"sub":"a","scopes":"a b","claims":{}}', '{"sub":"a","scopes":[],"claims":[]}']) {
      expect(() => signedScope({ 'x-portico-identity': bad }), bad).toThrow(/x-portico-identity header/);
    }
  });

  it('is never read from an unsigned request', () => {
    const header = identityHeadersOf({ subject: 'admin', scopes: [], claims: {} }, [])['x-portico-identity']!;
    expect(
      requestScopeOf({ headers: { 'x-portico-identity': header } } as unknown as IncomingMessage, new AbortController().signal, logger, false).viewer,
    ).toBeNull();
  });
});
