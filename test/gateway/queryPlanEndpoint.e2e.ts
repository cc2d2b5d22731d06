import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { resolve } from 'node:path';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';

const dir = mkdtempSync(path.join(tmpdir(), 'portico-plan-'));
// Planning needs the supergraph only: no subgraph is called.
const unreachable = 'http://127.0.0.1:9/graphql';
const base = {
  supergraph: { path: resolve('schema/supergraph.graphql') },
  subgraphs: Object.fromEntries(['accounts', 'products', 'inventory', 'reviews'].map((name) => [name, { url: unreachable }])),
};
// Each address may send this many requests a minute: the last test spends what the others leave.
const perAddressLimit = 40;
let development: RunningGateway;
let production: RunningGateway;
let withoutExplorer: RunningGateway;

beforeAll(async () => {
  [development, production, withoutExplorer] = await Promise.all([
    startGateway(dir, 'development', {
      ...base,
      mode: 'development',
      limits: { maxDepth: 6 },
      introspection: false,
      rateLimit: { perAddress: { limit: perAddressLimit, holdRefusalsMs: 0 } },
    }),
    startGateway(dir, 'production', { ...base, mode: 'production', explorer: true }),
    startGateway(dir, 'no-explorer', { ...base, mode: 'development', explorer: false }),
  ]);
});

afterAll(async () => {
  await development?.stop();
  await production?.stop();
  await withoutExplorer?.stop();
});

async function graphql(gateway: RunningGateway, query: string) {
  const response = await fetch(`${gateway.origin}/graphql`, {
    method: 'POST',
    // With the GraphQL-over-HTTP media type, a refused request is a 4xx (with application/json, a 200).
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { errors?: Array<{ message: string; extensions: { code: string } }> } };
}

async function plan(gateway: RunningGateway, body: unknown, method = 'POST') {
  const response = await fetch(`${gateway.origin}/graphiql/plan`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { errors?: Array<{ message: string; extensions: { code: string } }> },
  };
}

describe('the query plan endpoint, in development', () => {
  it('answers the plan of a document: subgraphs in order, the fetches, and Apollo’s text', async () => {
    const { status, body } = await plan(development, {
      query: 'query Shop { topProducts(first: 2) { name inStock reviews { body author { username } } } }',
      operationName: 'Shop',
    });
    expect(status).toBe(200);
    // In the order the plan first fetches from each: products first, the rest after its answer.
    expect(body.subgraphs).toEqual(['products', 'reviews', 'accounts', 'inventory']);
    expect(body.fetches).toBe(4);
    expect(body.root).toMatchObject({ kind: 'Sequence', steps: [{ kind: 'Fetch', subgraph: 'products' }, { kind: 'Parallel' }] });
    expect(body.text).toMatch(/^QueryPlan \{\n {2}Sequence \{\n {4}Fetch\(service: "products"\)/);
  });

  it('plans the operation named among several', async () => {
    const { body } = await plan(development, { query: 'query A { me { id } } query B { topProducts { upc } }', operationName: 'B' });
    expect(body.subgraphs).toEqual(['products']);
  });

  it('checks the document limits before planning, and validates it first', async () => {
    const deep = await plan(development, { query: '{ topProducts { reviews { author { reviews { product { reviews { author { name } } } } } } } }' });
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0]?.extensions.code).toBe('MAX_DEPTH_EXCEEDED');
    const invalid = await plan(development, { query: '{ nope }' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unnamed = await plan(development, { query: 'query A { me { id } } query B { me { id } }' });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors?.[0]?.extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    const notAQuery = await plan(development, { query: 42 });
    expect(notAQuery.status).toBe(400);
    expect((await plan(development, null, 'GET')).status).toBe(405);
  });

  it('refuses what the GraphQL path refuses before planning: a cost over demandControl.maxCost, a colliding alias', async () => {
    // Within every document limit, but lists in lists: 100 products × 10 reviews × 10 of their authors' reviews.
    const costly = '{ topProducts(first: 100) { reviews { author { reviews { body } } } } }';
    for (const answer of [await plan(development, { query: costly }), await graphql(development, costly)]) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions.code).toBe('COST_LIMIT_EXCEEDED');
    }
    // `price` is an input of shippingEstimate's @requires: the planner selects it itself.
    const colliding = '{ topProducts { shippingEstimate price: weight } }';
    for (const answer of [await plan(development, { query: colliding }), await graphql(development, colliding)]) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0]?.message).toContain('The alias "price" on field "weight"');
    }
  });

  it('suggests no field names when introspection is off, as the GraphQL path does', async () => {
    const misspelt = '{ topProducts { nme } }';
    for (const answer of [await plan(development, { query: misspelt }), await graphql(development, misspelt)]) {
      expect(answer.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0]?.message).toBe('Cannot query field "nme" on type "Product".');
    }
  });

  it('is offered by the explorer page, which no other site may frame', async () => {
    const response = await fetch(`${development.origin}/graphiql`);
    expect(await response.text()).toContain('data-plan="/graphiql/plan"');
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('the query plan endpoint, where it is not served', () => {
  it('is no route without the explorer', async () => {
    const { status, body } = await plan(withoutExplorer, { query: '{ topProducts { name } }' });
    expect(status).toBe(404);
    expect(body.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });
});

describe('the query plan endpoint, in production', () => {
  it('is refused with 403 DEVELOPMENT_ONLY, and the explorer does not offer it', async () => {
    const { status, body } = await plan(production, { query: '{ topProducts { name } }' });
    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions.code).toBe('DEVELOPMENT_ONLY');
    expect(body.errors?.[0]?.message).toContain('development only');
    expect(body).not.toHaveProperty('subgraphs');
    const page = await (await fetch(`${production.origin}/graphiql`)).text();
    expect(page).toContain('id="graphiql"');
    expect(page).not.toContain('data-plan');
  });
});

describe('the query plan endpoint and the per-address rate limit', () => {
  it('counts each plan request against its address, as a GraphQL request', async () => {
    const statuses: number[] = [];
    for (let sent = 0; sent <= perAddressLimit && !statuses.includes(429); sent += 1) {
      statuses.push((await plan(development, { query: '{ topProducts { upc } }' })).status);
    }
    expect(statuses).toContain(429);
    const refused = await plan(development, { query: '{ topProducts { upc } }' });
    expect(refused.body.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
  });
});
