import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentSecrets } from '../../common/developmentSecrets.js';
import { mintToken } from '../../cli/token/mintToken.js';
import { postGraphQL, startStack, type Stack } from '../support/startStack.js';

// Rate limits count per verified caller: the token's subject, not the connection it came from.
let stack: Stack;

beforeAll(async () => {
  // 429s answered at once: the point is who is counted, not the hold.
  stack = await startStack({ config: { rateLimit: { default: { windowSeconds: 60, limit: 2 }, perAddress: { holdRefusalsMs: 0 } } } });
});
afterAll(() => stack?.close());

const as = (subject: string) => ({
  authorization: `Bearer ${mintToken({ subject, scopes: [], claims: {}, secret: developmentSecrets.jwt, expiresInSeconds: 300 })}`,
});
const ask = (headers: Record<string, string> = {}) => postGraphQL(stack.url, '{ topProducts(first: 1) { name } }', undefined, headers);

describe('rate limits with authentication', () => {
  it('give each signed-in subject its own budget, apart from anonymous callers on the same address', async () => {
    expect((await ask(as('alice'))).status).toBe(200);
    expect((await ask(as('alice'))).status).toBe(200);
    const third = await ask(as('alice'));
    expect(third.status).toBe(429);
    expect(third.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);

    expect((await ask(as('bob'))).status).toBe(200);
    expect((await ask()).status).toBe(200);
  });

  it('cannot be escaped with a bad token: it is refused before it is counted or served', async () => {
    const forged = await ask({ authorization: 'Bearer not-a-token' });
    expect(forged.status).toBe(401);
  });
});
