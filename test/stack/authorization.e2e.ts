import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { developmentSecrets } from '../../common/developmentSecrets.js';
import { mintToken } from '../../cli/token/mintToken.js';
import { postGraphQL, startStack, type Stack } from '../support/startStack.js';

// @authenticated, @requiresScopes and @policy on the demo schema, through the gateway: what
// the caller may not see is null with an error; everything else arrives; no subgraph is asked.
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ config: { authorization: { policyModule: resolve('gateway/demo/policies.ts') } } });
});
afterAll(() => stack?.close());
beforeEach(() => stack.backends.resetCounts());

function token(subject: string, scopes: string[] = [], claims: Record<string, string> = {}) {
  return { authorization: `Bearer ${mintToken({ subject, scopes, claims, secret: developmentSecrets.jwt, expiresInSeconds: 300 })}` };
}
const ask = (query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) => postGraphQL(stack.url, query, variables, headers);
const codes = (reply: Awaited<ReturnType<typeof ask>>) => (reply.errors ?? []).map((error) => ({ path: error.path, code: error.extensions?.code }));

describe('@authenticated', () => {
  it('nulls Query.me for an anonymous caller, with UNAUTHENTICATED, and asks no subgraph for it', async () => {
    const reply = await ask('{ me { id name } topProducts(first: 1) { name } }');
    expect(reply.status).toBe(200);
    expect(reply.data).toEqual({ me: null, topProducts: [{ name: stack.backends.data.products[0]!.name }] });
    expect(codes(reply)).toEqual([{ path: ['me'], code: 'UNAUTHENTICATED' }]);
    expect(reply.errors![0]!.message).toBe('Unauthenticated: Query.me needs a signed-in caller. Send a token in the Authorization header.');
    expect((await stack.backends.counts()).users).toEqual({});
  });

  it('answers Query.me for a signed-in caller, from the verified token', async () => {
    const reply = await ask('{ me { id name } }', token('7'));
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ me: { id: '7', name: stack.backends.data.users[6]!.name } });
  });

  it('gives a mutation no call at all when it is refused, and runs it as the caller when it is not', async () => {
    const mutation = 'mutation($input: CreateReviewInput!) { createReview(input: $input) { body author { id } } }';
    const input = { productUpc: '3', body: 'Solid.', rating: 5 };
    const refused = await ask(mutation, {}, { input });
    expect(refused.data).toEqual({ createReview: null });
    expect(codes(refused)).toEqual([{ path: ['createReview'], code: 'UNAUTHENTICATED' }]);
    expect((await stack.backends.counts()).reviews).toEqual({});

    const done = await ask(mutation, token('12'), { input });
    expect(done.errors).toBeUndefined();
    expect(done.data).toEqual({ createReview: { body: 'Solid.', author: { id: '12' } } });
    expect((await stack.backends.counts()).reviews).toEqual({ 'POST /reviews': 1 });
  });
});

describe('@requiresScopes', () => {
  const query = '{ user(id: "1") { name email } }';
  const user = () => stack.backends.data.users[0]!;

  it('refuses User.email without the scope (FORBIDDEN) and without a caller (UNAUTHENTICATED), keeping the rest', async () => {
    const forbidden = await ask(query, token('7', ['catalog:write']));
    expect(forbidden.data).toEqual({ user: { name: user().name, email: null } });
    expect(codes(forbidden)).toEqual([{ path: ['user', 'email'], code: 'FORBIDDEN' }]);
    const anonymous = await ask(query);
    expect(codes(anonymous)).toEqual([{ path: ['user', 'email'], code: 'UNAUTHENTICATED' }]);
  });

  it('answers User.email with the scope', async () => {
    const reply = await ask(query, token('7', ['users:read-pii']));
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ user: { name: user().name, email: user().email } });
  });

  it('guards a mutation: no UpdatePrice call without catalog:write', async () => {
    const mutation = 'mutation { updateProductPrice(upc: "2", price: 777) { price } }';
    const refused = await ask(mutation, token('7'));
    expect(codes(refused)).toEqual([{ path: ['updateProductPrice'], code: 'FORBIDDEN' }]);
    expect((await stack.backends.counts()).catalog).toEqual({});
    const done = await ask(mutation, token('7', ['catalog:write']));
    expect(done.data).toEqual({ updateProductPrice: { price: 777 } });
  });
});

describe('@policy', () => {
  const query = '{ topProducts(first: 2) { name quantity } }';

  it("asks the operator's module: staff see Product.quantity, others get FORBIDDEN, anonymous UNAUTHENTICATED", async () => {
    const staff = await ask(query, token('7', [], { role: 'staff' }));
    expect(staff.errors).toBeUndefined();
    const stock = new Map(stack.backends.data.stock.map((level) => [level.upc, level.quantity]));
    expect(staff.data).toEqual({ topProducts: stack.backends.data.products.slice(0, 2).map((p) => ({ name: p.name, quantity: stock.get(p.upc) })) });

    await stack.backends.resetCounts();
    const customer = await ask(query, token('7', [], { role: 'customer' }));
    expect(customer.data).toEqual({ topProducts: stack.backends.data.products.slice(0, 2).map((p) => ({ name: p.name, quantity: null })) });
    expect(codes(customer)).toEqual([{ path: ['topProducts', '@', 'quantity'], code: 'FORBIDDEN' }]);
    expect((await stack.backends.counts()).inventory).toEqual({});

    expect(codes(await ask(query))).toEqual([{ path: ['topProducts', '@', 'quantity'], code: 'UNAUTHENTICATED' }]);
  });
});

describe('the policy module', () => {
  it('is asked only for operations that reach a @policy field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-policy-'));
    const module = join(dir, 'countingPolicies.mjs');
    writeFileSync(module, 'export default ({ policies }) => { globalThis.porticoPolicyCalls = (globalThis.porticoPolicyCalls ?? 0) + 1; return policies; };\n');
    const counting = await startStack({ config: { authorization: { policyModule: module } } });
    const calls = () => (globalThis as { porticoPolicyCalls?: number }).porticoPolicyCalls ?? 0;
    try {
      const before = calls();
      expect((await postGraphQL(counting.url, '{ topProducts(first: 1) { name } }')).errors).toBeUndefined();
      expect(calls()).toBe(before);
      const reply = await postGraphQL(counting.url, '{ topProducts(first: 1) { quantity } }');
      expect(reply.errors).toBeUndefined();
      expect(calls()).toBe(before + 1);
    } finally {
      await counting.close();
    }
  });
});

describe('no bypass', () => {
  const email = (reply: Awaited<ReturnType<typeof ask>>) => JSON.stringify(reply.data).includes('@');

  it.each([
    ['an alias', '{ u: user(id: "1") { secret: email } }', ['u', 'secret']],
    ['a named fragment', 'query { user(id: "1") { ...Pii } } fragment Pii on User { email }', ['user', 'email']],
    ['an inline fragment', '{ user(id: "1") { ... on User { email } } }', ['user', 'email']],
    ['nested fragments', 'query { user(id: "1") { ...A } } fragment A on User { ...B } fragment B on User { email }', ['user', 'email']],
    ['@include(if: true)', '{ user(id: "1") { email @include(if: true) } }', ['user', 'email']],
    ['@skip(if: false)', '{ user(id: "1") { email @skip(if: false) } }', ['user', 'email']],
    [
      'an entity reached through another subgraph',
      '{ topProducts(first: 2) { reviews { author { name email } } } }',
      ['topProducts', '@', 'reviews', '@', 'author', 'email'],
    ],
  ])('removes User.email reached through %s', async (_route, query, path) => {
    const reply = await ask(query, token('7'));
    expect(codes(reply)).toEqual([{ path, code: 'FORBIDDEN' }]);
    expect(email(reply)).toBe(false);
  });

  it('applies to a variable @include, and leaves a skipped field out without an error', async () => {
    const query = 'query($pii: Boolean!) { user(id: "1") { name email @include(if: $pii) } }';
    const included = await ask(query, token('7'), { pii: true });
    expect(codes(included)).toEqual([{ path: ['user', 'email'], code: 'FORBIDDEN' }]);
    const skipped = await ask(query, token('7'), { pii: false });
    expect(skipped.errors).toBeUndefined();
    expect(skipped.data).toEqual({ user: { name: stack.backends.data.users[0]!.name } });
  });

  it('refuses __typename on a guarded field', async () => {
    const reply = await ask('{ me { __typename } }');
    expect(reply.data).toEqual({ me: null });
    expect(codes(reply)).toEqual([{ path: ['me'], code: 'UNAUTHENTICATED' }]);
  });

  it('lets introspection describe the schema, which holds no data', async () => {
    const reply = await ask('{ __type(name: "User") { fields { name } } }');
    expect(reply.errors).toBeUndefined();
    expect((reply.data!.__type as { fields: Array<{ name: string }> }).fields.map((field) => field.name)).toContain('email');
  });

  it('does not let a client send its own identity headers to a subgraph', async () => {
    const reply = await ask('{ me { id } }', { 'x-portico-identity': '{"sub":"1","scopes":[],"claims":{}}' });
    expect(reply.data).toEqual({ me: null });
  });
});

describe('authorized data', () => {
  it('flows with no extra backend calls', async () => {
    const all = token('7', ['users:read-pii', 'catalog:write'], { role: 'staff' });
    const reply = await ask('{ users(first: 50) { email reviews { product { name quantity } } } }', all);
    expect(reply.errors).toBeUndefined();
    expect((reply.data!.users as unknown[]).length).toBe(50);
    const counts = await stack.backends.counts();
    expect(counts.users).toEqual({ 'GET /users': 1 });
    expect(counts.catalog).toEqual({ GetProducts: 1 });
    expect(counts.inventory).toEqual({ GetStock: 1 });
  });
});

describe('authentication at the gateway', () => {
  it('answers a bad token with 401, WWW-Authenticate and UNAUTHENTICATED, before any subgraph is asked', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: JSON.stringify({ query: '{ topProducts(first: 1) { name } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="portico", error="invalid_token", error_description="the token is not a well-formed JWT"',
    );
    expect(await response.json()).toEqual({
      errors: [{ message: 'Authentication failed: the token is not a well-formed JWT.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect((await stack.backends.counts()).catalog).toEqual({});
  });

  it('forwards the verified claims the config names, signed, so the subgraph sees the caller', async () => {
    const reply = await ask('{ me { id } }', token('42', ['users:read-pii']));
    expect(reply.data).toEqual({ me: { id: '42' } });
  });
});

describe('reject mode', () => {
  let strict: Stack;
  beforeAll(async () => {
    strict = await startStack({ config: { authorization: { unauthorized: 'reject' } } });
  });
  afterAll(() => strict?.close());

  it('refuses the whole request: 401 without a caller, 403 without the scope, nothing executed', async () => {
    const anonymous = await postGraphQL(strict.url, '{ me { id } topProducts(first: 1) { name } }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.data).toBeUndefined();
    expect(codes(anonymous)).toEqual([{ path: ['me'], code: 'UNAUTHENTICATED' }]);
    const forbidden = await postGraphQL(strict.url, '{ user(id: "1") { email } }', undefined, token('7'));
    expect(forbidden.status).toBe(403);
    expect(codes(forbidden)).toEqual([{ path: ['user', 'email'], code: 'FORBIDDEN' }]);
    expect((await strict.backends.counts()).users).toEqual({});
    expect((await strict.backends.counts()).catalog).toEqual({});
  });
});
