import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startStack, type Stack } from '../support/startStack.js';
import { send, startTrafficGateway } from './fixtures/startTrafficGateway.js';

// Abuse inputs against the whole demo stack with its default limits: each is refused with its
// own code, naming the limit and the values, while a normal query sent alongside succeeds.
const normalQuery = '{ topProducts(first: 2) { upc name reviews { rating author { username } } } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

const nested = (levels: number) => `{ ${'topProducts { reviews { product { '.repeat(levels / 3)}upc${' } } }'.repeat(levels / 3)} }`;

const abuse: [string, () => unknown, number, string][] = [
  ['1,000-level nesting', () => ({ query: nested(999) }), 400, 'MAX_DEPTH_EXCEEDED'],
  ['10,000 aliases', () => ({ query: `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }), 400, 'MAX_DOCUMENT_BYTES_EXCEEDED'],
  ['a 5 MB query string', () => ({ query: `{ __typename ${' '.repeat(5 * 1024 * 1024)}}` }), 413, 'PAYLOAD_TOO_LARGE'],
  // A validation error: GraphQL over HTTP answers it 200 in application/json (which fetch's */* gets).
  ['a fragment cycle', () => ({ query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }), 200, 'GRAPHQL_VALIDATION_FAILED'],
  [
    'a fragment bomb (20 levels, each spreading the one below twice)',
    () => ({
      query: `{ topProducts { ...F20 } } fragment F0 on Product { upc } ${Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Product { ...F${i} ...F${i} }`).join(' ')}`,
    }),
    400,
    'MAX_EXPANDED_FIELDS_EXCEEDED',
  ],
  [
    'variables nested 2,000 deep',
    () => ({ query: '{ __typename }', variables: { v: JSON.parse(`${'['.repeat(2_000)}${']'.repeat(2_000)}`) as unknown } }),
    400,
    'MAX_JSON_DEPTH_EXCEEDED',
  ],
  [
    'nested introspection',
    () => ({ query: '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }' }),
    400,
    'MAX_INTROSPECTION_DEPTH_EXCEEDED',
  ],
  ['a batch of 1,000 operations', () => Array.from({ length: 1_000 }, () => ({ query: '{ __typename }' })), 400, 'MAX_BATCH_SIZE_EXCEEDED'],
  [
    'a nested list query whose cost explodes',
    () => ({ query: '{ topProducts(first: 100) { reviews { author { reviews { product { reviews { body } } } } } } }' }),
    400,
    'COST_LIMIT_EXCEEDED',
  ],
];

describe('abuse inputs', () => {
  it.each(abuse)('%s is refused precisely while a normal query still succeeds', async (_name, body, status, code) => {
    const [refused, normal] = await Promise.all([post(body()), postGraphQL(stack.url, normalQuery)]);
    expect(refused.status).toBe(status);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(refused.body.data ?? null).toBeNull();
    expect(normal.status).toBe(200);
    expect(normal.errors).toBeUndefined();
    expect(normal.data?.topProducts).toHaveLength(2);
  });

  it('names the limit with the measured and allowed values', async () => {
    const { status, body } = await post({ query: nested(30) });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_DEPTH_EXCEEDED', limit: 'limits.maxDepth', measured: 31, allowed: 15 });
    expect(body.errors?.[0]?.message).toContain('limits.maxDepth');
  });

  it('checks GET requests too', async () => {
    const response = await fetch(`${stack.url}?query=${encodeURIComponent(nested(30))}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('MAX_DEPTH_EXCEEDED');
  });

  it('counts aliases past the limit when the document is small enough to parse', async () => {
    const query = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const { body } = await post({ query });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_ALIASES_EXCEEDED', measured: 40, allowed: 30 });
  });

  it('gives the cost with its limit, and the estimate on request', async () => {
    const { body } = await post({ query: '{ topProducts(first: 100) { reviews { author { reviews { body } } } } }' });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: 'demandControl.maxCost', allowed: 5000 });
    // 100 products × (1 + 10 reviews × (1 + author 1 + 10 reviews × 1)) = 12,100
    expect(body.errors?.[0]?.extensions?.measured).toBe(12_100);

    const asked = await post({ query: '{ topProducts(first: 2) { upc reviews { body } } }' }, { 'x-portico-cost': 'true' });
    expect(asked.status).toBe(200);
    // 2 × (1 + 10 × 1)
    expect((asked.body as { extensions?: unknown }).extensions).toEqual({ cost: { estimated: 22, max: 5000 } });
    const notAsked = await post({ query: '{ topProducts(first: 2) { upc } }' });
    expect((notAsked.body as { extensions?: unknown }).extensions).toBeUndefined();
  });

  it('runs a batch within the limit', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ topProducts(first: 1) { upc } }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(200);
    const results = (await response.json()) as { data: Record<string, unknown> }[];
    expect(results.map((result) => Object.keys(result.data))).toEqual([['topProducts'], ['__typename']]);
  });
});

describe('in production mode', () => {
  it('keeps the limit, measured and allowed values through error masking', async () => {
    const gateway = await startTrafficGateway({ mode: 'production', demandControl: { maxCost: 100 } });
    try {
      const refused = await send(gateway, { query: '{ topProducts(first: 20) { reviews { body } } }' });
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED', limit: 'demandControl.maxCost', measured: 220, allowed: 100 });
      const deep = await send(gateway, { query: `{ __typename ${'@skip(if: false) '.repeat(60)}}` });
      expect(deep.errors?.[0]?.extensions).toEqual({ code: 'MAX_DIRECTIVES_EXCEEDED', limit: 'limits.maxDirectives', measured: 60, allowed: 50 });
    } finally {
      await gateway.stop();
    }
  });
});
