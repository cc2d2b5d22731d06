import type { IncomingMessage } from 'node:http';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { requestScopeOf } from '../../../subgraphs/kit/requestScope.js';

const logger = pino({ level: 'silent' });
const scopeWith = (headers: Record<string, string>) =>
  requestScopeOf({ headers } as unknown as IncomingMessage, new AbortController().signal, logger, true);

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
