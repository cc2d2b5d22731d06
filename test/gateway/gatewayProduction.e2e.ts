import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { postGraphQL, type GraphQLBody } from './fixtures/postGraphQL.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';

let shop: Shop;
let gateway: RunningGateway;

beforeAll(async () => {
  shop = await startShop();
  gateway = await startGateway(shop.dir, 'production', { mode: 'production', supergraph: { path: shop.supergraphPath } });
});

afterAll(async () => {
  await gateway?.stop();
  await shop?.stop();
});

describe('gateway (production)', () => {
  it('still answers queries', async () => {
    const { response, body } = await postGraphQL(gateway.origin, { query: '{ topProducts(first: 1) { name reviews { body } } }' });
    expect(response.status).toBe(200);
    expect(body).toEqual({ data: { topProducts: [{ name: 'Table', reviews: [{ body: 'Love it!' }, { body: 'Too expensive.' }] }] } });
  });

  it('refuses introspection', async () => {
    // A validation error: 400 in application/graphql-response+json (200 in legacy application/json).
    const { response, body } = await postGraphQL(gateway.origin, { query: '{ __schema { types { name } } }' }, { accept: 'application/graphql-response+json' });
    expect(response.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toBe('Introspection is off on this gateway. Set `introspection: true` in the gateway config to allow it.');
  });

  it('does not suggest field names, which would leak the schema', async () => {
    const { body } = await postGraphQL(gateway.origin, { query: '{ topProduct { upc } }' });
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('serves no landing page', async () => {
    const response = await fetch(`${gateway.origin}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors?.[0]?.message).toMatch(/landing page is off/);
  });

  it('masks an unexpected subgraph error but keeps where it happened', async () => {
    const { response, body } = await postGraphQL(gateway.origin, { query: '{ unexpectedFailure }' });
    expect(response.status).toBe(200);
    expect(body).toEqual({
      data: { unexpectedFailure: null },
      errors: [
        {
          message: 'Internal server error',
          path: ['unexpectedFailure'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'products' },
        },
      ],
    });
    // The cause is in the log instead.
    expect(JSON.stringify(gateway.logs.at(-1))).toMatch(/db-7\.internal/);
  });

  it('passes a deliberate subgraph error through with its code and serviceName', async () => {
    const { body } = await postGraphQL(gateway.origin, { query: '{ forbiddenField }' });
    expect(body.errors).toEqual([
      { message: 'You may not read this field', path: ['forbiddenField'], extensions: { code: 'FORBIDDEN', serviceName: 'products' } },
    ]);
  });

  it('sends no stack trace in any error', async () => {
    const answers = await Promise.all([
      postGraphQL(gateway.origin, '{"query": '),
      postGraphQL(gateway.origin, { query: '{ nope }' }),
      postGraphQL(gateway.origin, { query: '{ unexpectedFailure }' }),
      postGraphQL(gateway.origin, {}),
    ]);
    for (const { body } of answers) {
      expect(body.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|node_modules|at .*\.js:\d+/);
    }
  });
});
