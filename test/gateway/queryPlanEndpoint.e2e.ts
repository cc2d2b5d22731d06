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
let development: RunningGateway;
let production: RunningGateway;

beforeAll(async () => {
  development = await startGateway(dir, 'development', { ...base, mode: 'development', limits: { maxDepth: 6 } });
  production = await startGateway(dir, 'production', { ...base, mode: 'production', explorer: true });
});

afterAll(async () => {
  await development?.stop();
  await production?.stop();
});

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

  it('is offered by the explorer page', async () => {
    const page = await (await fetch(`${development.origin}/graphiql`)).text();
    expect(page).toContain('data-plan="/graphiql/plan"');
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
