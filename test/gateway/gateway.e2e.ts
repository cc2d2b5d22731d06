import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { postGraphQL, type GraphQLBody } from './fixtures/postGraphQL.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';
import type { RunningSubgraph } from './fixtures/startSubgraph.js';

let shop: Shop;
let products: RunningSubgraph;
let reviews: RunningSubgraph;
let gateway: RunningGateway;

beforeAll(async () => {
  shop = await startShop();
  ({ products, reviews } = shop);
  gateway = await startGateway(shop.dir, 'development', {
    mode: 'development',
    supergraph: { path: shop.supergraphPath },
    server: { bodyLimitBytes: 4096, cors: { origins: ['https://app.example.com'] } },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await shop?.stop();
});

const post = (target: RunningGateway, body: unknown, headers: Record<string, string> = {}) => postGraphQL(target.origin, body, headers);

describe('gateway (development)', () => {
  it('merges data from two subgraphs in one response', async () => {
    const { response, body } = await post(gateway, { query: '{ topProducts(first: 2) { upc name reviews { body } } }' });
    expect(response.status).toBe(200);
    expect(body).toEqual({
      data: {
        topProducts: [
          { upc: '1', name: 'Table', reviews: [{ body: 'Love it!' }, { body: 'Too expensive.' }] },
          { upc: '2', name: 'Couch', reviews: [{ body: 'Could be better.' }] },
        ],
      },
    });
  });

  it('answers /health and /ready', async () => {
    const health = await fetch(`${gateway.origin}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'pass' });
    const ready = await fetch(`${gateway.origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'pass',
      // Development shows reloads; never the supergraph's file (that is in the log).
      details: { supergraph: { loadedAt: expect.any(String), reloads: 0 } },
    });
    expect(gateway.server.isReady()).toBe(true);
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const response = await fetch(`${gateway.origin}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses malformed JSON with 400 BAD_REQUEST', async () => {
    const { response, body } = await post(gateway, '{"query": ');
    expect(response.status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(body.errors?.[0]?.message).toMatch(/not valid JSON/);
  });

  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const { response, body } = await post(gateway, { query: `{ topProducts { upc } } # ${'x'.repeat(8192)}` });
    expect(response.status).toBe(413);
    expect(body).toEqual({
      errors: [{ message: expect.stringMatching(/larger than the limit of 4096 bytes/), extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('refuses a wrong content type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const { response, body } = await post(gateway, '{ topProducts { upc } }', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(body.errors?.[0]?.message).toMatch(/application\/json/);
  });

  // GraphQL over HTTP: request errors are 400 in application/graphql-response+json, and 200
  // (clients read `errors`) in the legacy application/json, which a request without Accept gets.
  const graphQLResponse = { accept: 'application/graphql-response+json' };

  it('refuses an unknown field with GRAPHQL_VALIDATION_FAILED: 400 in graphql-response+json, 200 in application/json', async () => {
    const query = { query: '{ topProducts { upc colour } }' };
    const modern = await post(gateway, query, graphQLResponse);
    expect(modern.response.status).toBe(400);
    expect(modern.response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(modern.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const accept of [{ accept: 'application/json' }, {}] as Record<string, string>[]) {
      const legacy = await post(gateway, query, accept);
      expect(legacy.response.status).toBe(200);
      expect(legacy.response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(legacy.body.data).toBeUndefined();
      expect(legacy.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('refuses a document that does not parse with GRAPHQL_PARSE_FAILED: 400 in graphql-response+json, 200 in application/json', async () => {
    const query = { query: '{ topProducts { upc ' };
    expect((await post(gateway, query, graphQLResponse)).response.status).toBe(400);
    const legacy = await post(gateway, query, { accept: 'application/json' });
    expect(legacy.response.status).toBe(200);
    expect(legacy.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses a variable of the wrong type with BAD_USER_INPUT: 400 in graphql-response+json, 200 in application/json', async () => {
    const query = {
      query: 'query Top($first: Int) { topProducts(first: $first) { upc } }',
      variables: { first: 'two' },
    };
    const modern = await post(gateway, query, graphQLResponse);
    expect(modern.response.status).toBe(400);
    expect(modern.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const legacy = await post(gateway, query, { accept: 'application/json' });
    expect(legacy.response.status).toBe(200);
    expect(legacy.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("keeps the gateway's own refusals 4xx in application/json too (policy, not a GraphQL request error)", async () => {
    const deep = {
      query: `{ topProducts { reviews { product { reviews { product { reviews { product { reviews { product { reviews { product { reviews { product { reviews { product { upc } } } } } } } } } } } } } } } }`,
    };
    const { response, body } = await post(gateway, deep, { accept: 'application/json' });
    expect(response.status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
  });

  it('refuses a mutation over GET with 405', async () => {
    const query = encodeURIComponent('mutation { setPrice(upc: "1", price: 1) { price } }');
    const response = await fetch(`${gateway.origin}/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors?.[0]).toMatchObject({ message: 'A mutation must be sent with POST, not GET.', extensions: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('answers a GET query that lacks the CSRF header by saying which header to send', async () => {
    const response = await fetch(`${gateway.origin}/graphql?query=${encodeURIComponent('{ topProducts { upc } }')}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors?.[0]?.message).toContain('apollo-require-preflight');
  });

  it('answers a GET query with the CSRF header', async () => {
    const response = await fetch(`${gateway.origin}/graphql?query=${encodeURIComponent('{ topProducts(first: 1) { upc } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as GraphQLBody).data).toEqual({ topProducts: [{ upc: expect.any(String) }] });
    // Answers can be personal (they depend on the token): no cache may keep them.
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('allows a CORS preflight from a listed origin', async () => {
    const response = await fetch(`${gateway.origin}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('refuses a CORS preflight from an origin not listed', async () => {
    const response = await fetch(`${gateway.origin}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.message).toMatch(/server\.cors\.origins/);
  });

  it('sends CORS headers on an actual request from a listed origin only', async () => {
    const allowed = await post(gateway, { query: '{ __typename }' }, { origin: 'https://app.example.com' });
    expect(allowed.response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await post(gateway, { query: '{ __typename }' }, { origin: 'https://evil.example' });
    expect(other.response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the Sandbox landing page to a browser, pointed at this gateway, with an example operation and a token hint', async () => {
    const response = await fetch(`${gateway.origin}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('embeddable-sandbox.cdn.apollographql.com');
    // The page's own URL, the gateway's GraphQL path, is the Sandbox's endpoint.
    expect(html).toMatch(/initialEndpoint = window\.location\.href/);
    expect(html).toContain('npx portico token --sub 7');
    expect(html).toContain('query Example');
    // The Sandbox sends Apollo no telemetry.
    expect(html).toContain('"runTelemetry":false');
    // No other site may frame it (clickjacking a signed-in developer).
    expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('says what is missing from a GET without a query', async () => {
    const response = await fetch(`${gateway.origin}/graphql`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(body.errors?.[0]?.message).toMatch(/"query" parameter/);
  });

  it('answers introspection', async () => {
    const { response, body } = await post(gateway, { query: '{ __schema { queryType { name } } }' });
    expect(response.status).toBe(200);
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('tags a subgraph error with serviceName and keeps its code', async () => {
    const { response, body } = await post(gateway, { query: '{ forbiddenField }' });
    expect(response.status).toBe(200);
    expect(body.errors?.[0]).toMatchObject({
      message: 'You may not read this field',
      path: ['forbiddenField'],
      extensions: { code: 'FORBIDDEN', serviceName: 'products' },
    });
  });

  it('shows an unexpected subgraph error as it is in development', async () => {
    const { body } = await post(gateway, { query: '{ unexpectedFailure }' });
    expect(body.errors?.[0]).toMatchObject({
      message: 'connection to db-7.internal refused',
      extensions: { serviceName: 'products' },
    });
  });

  it('echoes the client request id and passes it to the subgraphs', async () => {
    const { response } = await post(
      gateway,
      { query: '{ topProducts(first: 1) { name reviews { body } } }' },
      {
        'x-request-id': 'client-id-123',
      },
    );
    expect(response.headers.get('x-request-id')).toBe('client-id-123');
    expect(products.requestIds.at(-1)).toBe('client-id-123');
    expect(reviews.requestIds.at(-1)).toBe('client-id-123');
  });

  it('replaces an unsafe request id with a UUID', async () => {
    const { response } = await post(gateway, { query: '{ topProducts(first: 1) { name } }' }, { 'x-request-id': 'bad id\twith spaces' });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(products.requestIds.at(-1)).toBe(id);
  });

  it('reuses one keep-alive connection to a subgraph for sequential queries', async () => {
    await post(gateway, { query: '{ topProducts(first: 1) { upc } }' }); // opens the connection if none is pooled
    products.resetConnections();
    for (let i = 0; i < 5; i++) {
      const { body } = await post(gateway, { query: '{ topProducts(first: 1) { upc } }' });
      expect(body.errors).toBeUndefined();
    }
    expect(products.connectionsUsed()).toBe(1);
  });

  it('logs one warn line per failed request, with the real error', async () => {
    const before = gateway.logs.length;
    await post(gateway, { query: '{ unexpectedFailure }' }, { 'x-request-id': 'log-me' });
    const lines = gateway.logs.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, requestId: 'log-me', status: 200 });
    expect(JSON.stringify(lines[0])).toMatch(/db-7\.internal/);
  });
});
