import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../../common/createLogger.js';
import { loadGatewayConfig } from '../../../gateway/config/loadGatewayConfig.js';
import { createGatewayServer, type GatewayServer } from '../../../gateway/createGatewayServer.js';
import { startStack, type Stack } from '../../support/startStack.js';
import { testSigningSecret } from '../../support/startSubgraphs.js';
import { stopServer } from '../../support/stopServer.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { closed, closeOf, nextMessage, runOperation, upgrade, wsClient } from './webSocketClient.js';

// GraphQL over WebSocket against the demo stack: real subgraphs and backends, a real gateway,
// the graphql-ws client applications use.
const secret = 'websocket-test-jwt-secret-0123456789';
const now = () => Math.floor(Date.now() / 1000);
const token = (claims: object = {}) => jwt.sign({ sub: '7', exp: now() + 300, ...claims }, secret, { algorithm: 'HS256' });

let stack: Stack;
let strict: { gateway: GatewayServer; url: string };

/** Another gateway in front of the stack's subgraphs, with its own config. */
async function extraGateway(config: Record<string, unknown>): Promise<{ gateway: GatewayServer; url: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'portico-ws-')), 'gateway.yaml');
  writeFileSync(
    file,
    stringify({
      mode: 'development',
      supergraph: { path: resolve('schema/supergraph.graphql') },
      subgraphs: Object.fromEntries(Object.entries(stack.subgraphs.urls).map(([name, url]) => [name, { url }])),
      ...config,
    }),
  );
  const gateway = await createGatewayServer(loadGatewayConfig({ file, env: { PORTICO_SIGNING_SECRET: testSigningSecret } }), {
    logger: createLogger({ name: 'ws-gateway', level: 'silent' }),
  });
  const address = await gateway.listen(0, '127.0.0.1');
  return { gateway, url: `http://127.0.0.1:${address.port}/graphql` };
}

beforeAll(async () => {
  stack = await startStack({
    config: {
      authentication: { mode: 'optional', secret },
      server: { cors: { origins: ['https://app.example'] }, websocket: { maxSubscriptionsPerConnection: 2, maxConnectionsPerAddress: 20 } },
      metrics: { listener: 'public' },
    },
  });
  strict = await extraGateway({ authentication: { mode: 'required', secret } });
}, 60_000);

afterAll(async () => {
  await stopServer(strict?.gateway);
  await stack?.close();
});

describe('queries and mutations over WebSocket', () => {
  it('runs a federated query through the graphql-ws client', async () => {
    const client = wsClient(stack.url);
    const run = await runOperation(client, { query: '{ topProducts(first: 2) { upc name inStock reviews { rating author { name } } } }' });
    await client.dispose();
    expect(run.error).toBeUndefined();
    expect(run.results).toHaveLength(1);
    const products = run.results[0]!.data!.topProducts as { upc: string; name: string; reviews: unknown[] }[];
    expect(products).toHaveLength(2);
    expect(products[0]!.name).toEqual(expect.any(String));
  });

  it('answers the same as HTTP does', async () => {
    const query = '{ topProducts(first: 3) { upc name price inStock } }';
    const overHttp = (await (
      await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
    ).json()) as unknown;
    const client = wsClient(stack.url);
    const run = await runOperation(client, { query });
    await client.dispose();
    expect(run.results).toEqual([overHttp]);
  });

  it('runs a mutation as the viewer of the connection_init token', async () => {
    const client = wsClient(stack.url, { connectionParams: { Authorization: `Bearer ${token()}` } });
    const run = await runOperation(client, {
      query: 'mutation ($input: CreateReviewInput!) { createReview(input: $input) { body rating author { id } } }',
      variables: { input: { productUpc: '1', body: 'Over a WebSocket', rating: 5 } },
    });
    await client.dispose();
    expect(run.error).toBeUndefined();
    expect(run.results[0]!.data).toEqual({ createReview: { body: 'Over a WebSocket', rating: 5, author: { id: '7' } } });
  });

  it('runs anonymous operations without a token where authentication is optional, and refuses @authenticated fields', async () => {
    const client = wsClient(stack.url);
    const run = await runOperation(client, {
      query: 'mutation { createReview(input: { productUpc: "1", body: "anonymous", rating: 1 }) { body } }',
    });
    await client.dispose();
    const errors = run.results[0]?.errors ?? (run.error as { extensions?: { code?: string } }[]);
    expect(JSON.stringify(errors)).toContain('UNAUTHENTICATED');
  });

  it('sends GraphQL errors of a refused operation as an error message (validation, document limits)', async () => {
    const client = wsClient(stack.url);
    const invalid = await runOperation(client, { query: '{ nope }' });
    const tooDeep = await runOperation(client, { query: `{ ${'topProducts { reviews { product { '.repeat(6)}name${' } } }'.repeat(6)} }` });
    await client.dispose();
    expect(invalid.results).toEqual([]);
    expect((invalid.error as { extensions: { code: string } }[])[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((tooDeep.error as { extensions: { code: string } }[])[0]!.extensions.code).toBe('MAX_DEPTH_EXCEEDED');
  });

  it('runs a trusted document sent by hash alone (graphql-ws sends an empty query) where trustedDocuments require it, and nothing else', async () => {
    const manifestFile = resolve('web/src/generated/persisted-documents.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
    const [hash] = Object.entries(manifest).find(([, body]) => body.startsWith('query TopProducts'))!;
    const trusted = await extraGateway({ trustedDocuments: { mode: 'require', manifest: manifestFile } });
    try {
      const client = wsClient(trusted.url);
      const persistedQuery = { version: 1, sha256Hash: hash };
      const byHash = await runOperation(client, { query: '', operationName: 'TopProducts', variables: { first: 2 }, extensions: { persistedQuery } });
      const unknown = await runOperation(client, {
        query: '',
        variables: { first: 2 },
        extensions: { persistedQuery: { ...persistedQuery, sha256Hash: '0'.repeat(64) } },
      });
      const text = await runOperation(client, { query: '{ topProducts(first: 2) { upc } }' });
      await client.dispose();
      expect(byHash.error).toBeUndefined();
      expect(byHash.results).toEqual([
        (await (
          await fetch(trusted.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ operationName: 'TopProducts', variables: { first: 2 }, extensions: { persistedQuery } }),
          })
        ).json()) as unknown,
      ]);
      expect((byHash.results[0]!.data!.topProducts as unknown[]).length).toBe(2);
      expect((unknown.error as { extensions: { code: string } }[])[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((text.error as { extensions: { code: string } }[])[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    } finally {
      await stopServer(trusted.gateway);
    }
  });
});

describe('authentication at connection', () => {
  it('takes the token from the upgrade request header too', async () => {
    const client = wsClient(stack.url, {
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols: string[]) {
          super(url, protocols, { headers: { authorization: `Bearer ${token({ sub: '3' })}` } });
        }
      },
    });
    const run = await runOperation(client, {
      query: 'mutation { createReview(input: { productUpc: "2", body: "header token", rating: 4 }) { author { id } } }',
    });
    await client.dispose();
    expect(run.results[0]!.data).toEqual({ createReview: { author: { id: '3' } } });
  });

  it('closes with 4403 for a bad token, an expired one, and none where one is required', async () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['bad', stack.url, { Authorization: 'Bearer not.a.token' }],
      ['wrong shape', stack.url, { Authorization: 'Basic abc' }],
      ['expired', stack.url, { Authorization: `Bearer ${token({ exp: now() - 60 })}` }],
      ['none, required', strict.url, {}],
    ];
    for (const [name, url, connectionParams] of cases) {
      const client = wsClient(url, { connectionParams });
      const run = await runOperation(client, { query: '{ __typename }' });
      await client.dispose();
      const close = closeOf(run.error);
      expect(close?.code, name).toBe(4403);
      expect(close?.reason, name).toMatch(/^Authentication failed/);
    }
  });

  it('serves a good token where one is required', async () => {
    const client = wsClient(strict.url, { connectionParams: { authorization: `Bearer ${token()}` } });
    const run = await runOperation(client, { query: '{ __typename }' });
    await client.dispose();
    expect(run.results).toEqual([{ data: { __typename: 'Query' } }]);
  });

  it('closes the connection with 4403 when the token expires', async () => {
    const opened = await upgrade(stack.url, ['graphql-transport-ws']);
    if (!('open' in opened)) throw new Error(`refused: ${opened.status}`);
    const socket = opened.open;
    const ack = nextMessage(socket);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token({ exp: now() + 2 })}` } }));
    expect(await ack).toEqual({ type: 'connection_ack' });
    const close = await closed(socket);
    expect(close).toEqual({ code: 4403, reason: 'Token expired: reconnect with a fresh token' });
  });
});

describe('the upgrade', () => {
  it('is refused with 400 without the graphql-transport-ws subprotocol, naming it', async () => {
    const none = await upgrade(stack.url, undefined);
    const legacy = await upgrade(stack.url, ['graphql-ws']);
    for (const outcome of [none, legacy]) {
      if ('open' in outcome) throw new Error('upgraded');
      expect(outcome.status).toBe(400);
      expect(outcome.body.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
      expect(outcome.body.errors![0]!.message).toContain('graphql-transport-ws');
    }
    if ('open' in legacy) throw new Error('upgraded');
    expect(legacy.body.errors![0]!.message).toContain('subscriptions-transport-ws');
  });

  it('is refused with 403 from an origin that is neither listed nor the gateway own', async () => {
    const evil = await upgrade(stack.url, ['graphql-transport-ws'], { origin: 'https://evil.example' });
    if ('open' in evil) throw new Error('upgraded');
    expect(evil.status).toBe(403);
    expect(evil.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const host = new URL(stack.url).host;
    for (const origin of ['https://app.example', `http://${host}`]) {
      const outcome = await upgrade(stack.url, ['graphql-transport-ws'], { origin });
      if (!('open' in outcome)) throw new Error(`refused ${origin}: ${outcome.status}`);
      outcome.open.close();
    }
  });

  it('is refused with 404 on another path', async () => {
    const outcome = await upgrade(stack.url.replace('/graphql', '/health'), ['graphql-transport-ws']);
    if ('open' in outcome) throw new Error('upgraded');
    expect(outcome.status).toBe(404);
  });

  it('is refused with 429 past server.websocket.maxConnectionsPerAddress', async () => {
    const sockets: WebSocket[] = [];
    let refused: { status: number; code?: string } | undefined;
    for (let i = 0; i < 25 && !refused; i++) {
      const outcome = await upgrade(stack.url, ['graphql-transport-ws']);
      if ('open' in outcome) sockets.push(outcome.open);
      else refused = { status: outcome.status, code: outcome.body.errors?.[0]?.extensions?.code };
    }
    expect(sockets.length).toBe(20);
    expect(refused).toEqual({ status: 429, code: 'RATE_LIMITED' });
    await Promise.all(sockets.map((socket) => (socket.close(), closed(socket))));
    // Freed again once they are closed.
    const again = await upgrade(stack.url, ['graphql-transport-ws']);
    expect('open' in again).toBe(true);
    if ('open' in again) again.open.close();
  });
});

describe('the protocol', () => {
  it('closes with 4400 for a message that is not the protocol, 4401 for subscribe before ack, 4409 for a duplicate id', async () => {
    const send = async (messages: unknown[]) => {
      const opened = await upgrade(stack.url, ['graphql-transport-ws']);
      if (!('open' in opened)) throw new Error('refused');
      const done = closed(opened.open);
      for (const message of messages) opened.open.send(typeof message === 'string' ? message : JSON.stringify(message));
      return done;
    };
    expect((await send(['not json'])).code).toBe(4400);
    expect((await send([{ type: 'subscribe', id: '1', payload: { query: '{ __typename }' } }])).code).toBe(4401);
    expect((await send([{ type: 'connection_init' }, { type: 'connection_init' }])).code).toBe(4429);
    // Ids are the client's text: one named after Object.prototype's members is as good as any.
    const opened = await upgrade(stack.url, ['graphql-transport-ws']);
    if (!('open' in opened)) throw new Error('refused');
    const ack = nextMessage(opened.open);
    opened.open.send(JSON.stringify({ type: 'connection_init' }));
    expect(await ack).toEqual({ type: 'connection_ack' });
    const done = closed(opened.open);
    const subscribe = (id: string) => JSON.stringify({ type: 'subscribe', id, payload: { query: '{ topProducts { name } }' } });
    opened.open.send(subscribe('__proto__'));
    opened.open.send(subscribe('__proto__'));
    expect(await done).toEqual({ code: 4409, reason: 'Subscriber for __proto__ already exists' });
  });

  it('answers ping with pong', async () => {
    const opened = await upgrade(stack.url, ['graphql-transport-ws']);
    if (!('open' in opened)) throw new Error('refused');
    const pong = nextMessage(opened.open);
    opened.open.send(JSON.stringify({ type: 'ping' }));
    expect(await pong).toEqual({ type: 'pong' });
    opened.open.close();
  });
});

describe('metrics', () => {
  it('counts open WebSocket connections and closes by reason', async () => {
    const opened = await upgrade(stack.url, ['graphql-transport-ws']);
    if (!('open' in opened)) throw new Error('refused');
    const metrics = await (await fetch(stack.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/portico_subscription_connections\{transport="websocket"\} [1-9]/);
    opened.open.close();
    await closed(opened.open);
    await expect
      .poll(
        async () =>
          (await (await fetch(stack.url.replace('/graphql', '/metrics'))).text()).match(
            /portico_subscription_connection_closes_total\{transport="websocket",reason="client"\} (\d+)/,
          )?.[1],
      )
      .toBeDefined();
  });
});

describe('subscriptions (federated events; these need the executor that runs subscriptions)', () => {
  it('delivers reviewAdded events with fields from other subgraphs', async () => {
    const client = wsClient(stack.url);
    const events: unknown[] = [];
    let failed: unknown;
    let ended = false;
    client.subscribe(
      { query: 'subscription { reviewAdded(productUpc: "1") { body rating author { id name } product { upc name inStock } } }' },
      {
        next: (event) => void events.push(event),
        error: (error) => {
          failed = error;
          ended = true;
        },
        complete: () => {
          ended = true;
        },
      },
    );
    // Nothing says when the upstream subscription is in place: reviews are written until one is seen.
    while (events.length === 0 && !ended) {
      const mutation = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
        body: JSON.stringify({ query: 'mutation { createReview(input: { productUpc: "1", body: "live", rating: 3 }) { id } }' }),
      });
      expect(mutation.status).toBe(200);
      await new Promise((wait) => setTimeout(wait, 250));
    }
    await client.dispose();
    expect(failed).toBeUndefined();
    expect(events[0]).toMatchObject({
      data: { reviewAdded: { body: 'live', rating: 3, author: { id: '7', name: expect.any(String) }, product: { upc: '1', name: expect.any(String) } } },
    });
  });
});

describe('stopping', () => {
  it('closes every socket with 1001 (going away), and refuses new upgrades', async () => {
    const gateway = await extraGateway({});
    const opened = await upgrade(gateway.url, ['graphql-transport-ws']);
    if (!('open' in opened)) throw new Error('refused');
    const ack = nextMessage(opened.open);
    opened.open.send(JSON.stringify({ type: 'connection_init' }));
    await ack;
    const close = closed(opened.open);
    const stopped = stopServer(gateway.gateway);
    expect(await close).toEqual({ code: 1001, reason: 'The gateway is stopping; reconnect' });
    await stopped;
  });
});
