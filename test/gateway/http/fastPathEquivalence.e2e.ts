import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { print, parse } from 'graphql';
import pino from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../../gateway/config/loadGatewayConfig.js';
import { createGatewayServer, type GatewayServer } from '../../../gateway/createGatewayServer.js';
import { stopServer } from '../../support/stopServer.js';
import { startShop, type Shop } from '../fixtures/startShop.js';
import { writeSupergraph } from '../fixtures/writeSupergraph.js';

// Every kind of request a single JSON POST can be, sent to a gateway with the fast path
// (createFastPath) and to one without it, built from the same config: status, headers and body
// must be the same, byte for byte. Each request goes twice, since the fast path takes only
// documents Apollo Server has already parsed and validated; where it should take a request, the
// test checks that it did, so that the comparison is not between two Apollo Server paths.

interface Gateway {
  origin: string;
  server: GatewayServer;
  /** Whether the fast path took each request, in order (the gateway without it: none). */
  taken: boolean[];
}

interface Pair {
  on: Gateway;
  off: Gateway;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// Differ between two requests by design.
const volatileHeaders = new Set(['date', 'x-request-id', 'traceparent', 'connection', 'keep-alive', 'retry-after']);
const windowedHeaders = new Set(['ratelimit']);

let shop: Shop;
const pairs: Pair[] = [];

async function startOne(name: string, config: Record<string, unknown>, fastPath: boolean): Promise<Gateway> {
  const file = path.join(shop.dir, `${name}-${fastPath ? 'on' : 'off'}.yaml`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  const env = { PORTICO_SIGNING_SECRET: 'fixture-signing-secret-0123456789', TEST_JWT_SECRET: jwtSecret };
  const loaded = loadGatewayConfig({ file, env, overrides: { port: 0, host: '127.0.0.1' } });
  const taken: boolean[] = [];
  const server = await createGatewayServer(loaded, {
    logger: pino({ level: 'silent' }),
    metricsListener: false,
    fastPath: fastPath ? { onRequest: (took) => void taken.push(took) } : false,
  });
  const address = await server.listen();
  return { origin: `http://127.0.0.1:${address.port}`, server, taken };
}

async function startPair(name: string, config: Record<string, unknown>): Promise<Pair> {
  const pair = { on: await startOne(name, config, true), off: await startOne(name, config, false) };
  pairs.push(pair);
  return pair;
}

async function send(gateway: Gateway, body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await request(`${gateway.origin}/graphql`, { method: 'POST', headers, body });
  const text = await response.body.text();
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (volatileHeaders.has(name) || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    // The seconds left in a rate-limit window depend on when each gateway started it.
    kept[name] = windowedHeaders.has(name) ? text.replace(/;t=\d+/g, ';t=?') : text;
  }
  // Likewise the seconds to wait, in a rate-limit refusal.
  const normalized = text.replace(/retry in \d+ s/g, 'retry in ? s').replace(/"retryAfterSeconds":\d+/g, '"retryAfterSeconds":0');
  return { status: response.statusCode, headers: kept, body: normalized };
}

/**
 * Sends one request to both gateways (twice), expects the same answers, and returns the second
 * answer and whether the fast path took the second request.
 */
async function compare(pair: Pair, body: unknown, headers: Record<string, string> = {}): Promise<{ answer: Answer; fast: boolean }> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const allHeaders = { 'content-type': 'application/json', ...headers };
  let last: Answer | undefined;
  let heard = 0;
  for (let round = 0; round < 2; round += 1) {
    const withoutFastPath = await send(pair.off, text, allHeaders);
    heard = pair.on.taken.length;
    const withFastPath = await send(pair.on, text, allHeaders);
    expect(withFastPath, `round ${round + 1} of ${text} (${JSON.stringify(headers)})`).toEqual(withoutFastPath);
    last = withFastPath;
  }
  // A request the HTTP layer refuses never reaches the fast path's decision.
  return { answer: last!, fast: pair.on.taken.length > heard && pair.on.taken.at(-1) === true };
}

const jwtSecret = 'fast-path-equivalence-secret-0123456789abcdef';

function token(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: 'fast-path', exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}`;
  return `${unsigned}.${createHmac('sha256', jwtSecret).update(unsigned).digest('base64url')}`;
}

const manifestDocument = 'query Listed { topProducts(first: 1) { upc } }';

beforeAll(async () => {
  shop = await startShop();
  // `price` needs an authenticated caller: authorization rewrites the operation without it.
  const guarded = print(shop.products.typeDefs)
    .replace('import: ["@key"]', 'import: ["@key", "@authenticated"]')
    .replace('price: Int!', 'price: Int @authenticated');
  mkdirSync(path.join(shop.dir, 'guarded'));
  writeSupergraph(path.join(shop.dir, 'guarded'), [{ ...shop.products, typeDefs: parse(guarded) }, shop.reviews]);
}, 60_000);

afterAll(async () => {
  for (const pair of pairs) await Promise.all([stopServer(pair.on.server), stopServer(pair.off.server)]);
  await shop?.stop();
});

describe('the fast path answers as Apollo Server does', () => {
  let production: Pair;
  let development: Pair;
  let trusted: Pair;

  beforeAll(async () => {
    const guardedSupergraph = path.join(shop.dir, 'guarded', 'supergraph.graphql');
    const manifest = path.join(shop.dir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ [createHash('sha256').update(manifestDocument).digest('hex')]: manifestDocument }));
    production = await startPair('production', {
      mode: 'production',
      supergraph: { path: guardedSupergraph },
      authentication: { secret: jwtSecret },
      // Small enough that the sequence below meets each refusal.
      // Its 429s are held (both paths' alike), briefly: the later cases meet them too.
      rateLimit: { default: { windowSeconds: 600, limit: 60 }, perAddress: { holdRefusalsMs: 200 } },
      demandControl: { maxCost: 150 },
    });
    development = await startPair('development', { mode: 'development', supergraph: { path: guardedSupergraph }, authentication: { secret: jwtSecret } });
    trusted = await startPair('trusted', { mode: 'production', supergraph: { path: shop.supergraphPath }, trustedDocuments: { mode: 'require', manifest } });
  }, 120_000);

  it('takes a plain query, and answers it the same, in each media type', async () => {
    const query = { query: '{ topProducts(first: 2) { upc name reviews { body } } }' };
    for (const accept of [
      undefined,
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json',
      'application/graphql-response+json, application/json;q=0.9',
      'application/graphql-response+json,application/json;q=0.9',
      'application/json, application/graphql-response+json',
    ]) {
      const { answer, fast } = await compare(production, query, accept ? { accept } : {});
      expect(answer.status).toBe(200);
      expect(fast).toBe(true);
    }
    for (const contentType of ['application/json; charset=utf-8', 'application/json;charset=utf-8', 'Application/JSON']) {
      expect((await compare(production, query, { 'content-type': contentType })).fast).toBe(true);
    }
  });

  it('takes variables, an operation chosen by name, a mutation, and hostile aliases', async () => {
    const document = 'query A($n: Int) { topProducts(first: $n) { upc } } query B { topProducts(first: 1) { name } }';
    expect((await compare(production, { query: document, operationName: 'A', variables: { n: 1 } })).fast).toBe(true);
    expect((await compare(production, { query: document, operationName: 'B', variables: null, extensions: {} })).fast).toBe(true);
    expect((await compare(production, { query: 'mutation { setPrice(upc: "1", price: 3) { upc price } }' })).fast).toBe(true);
    const hostile = '{ __proto__: topProducts(first: 1) { constructor: upc toString: name hasOwnProperty: upc } prototype: __typename }';
    const { answer, fast } = await compare(production, { query: hostile, operationName: null, extraField: 1 });
    expect(fast).toBe(true);
    expect(answer.body).toContain('"__proto__"');
  });

  it('answers refusals the fast path runs the hooks of: variables that do not coerce, cost, authorization, masked errors, rate limits', async () => {
    const typed = 'query T($n: Int!) { topProducts(first: $n) { upc } }';
    await compare(production, { query: typed, variables: { n: 1 } });
    for (const variables of [{ n: 'many' }, {}, { n: null }, { n: 1, extra: true }]) {
      const { answer, fast } = await compare(production, { query: typed, variables }, { accept: 'application/graphql-response+json' });
      expect(fast).toBe(true);
      expect(answer.status).toBeGreaterThanOrEqual(200);
      await compare(production, { query: typed, variables });
    }
    // Cost: every list counts as 10 items here.
    const costly = await compare(production, { query: '{ a: topProducts { reviews { body } } b: topProducts { reviews { body } } }' });
    expect(costly.fast, costly.answer.body).toBe(true);
    expect(costly.answer.body).toContain('COST');
    expect(costly.answer.status).toBeGreaterThanOrEqual(400);
    // Authorization: price needs an authenticated caller.
    const priced = { query: '{ topProducts(first: 2) { upc price } }' };
    const anonymous = await compare(production, priced);
    expect(anonymous.fast).toBe(true);
    expect(anonymous.answer.body).toContain('UNAUTHENTICATED');
    expect((await compare(production, priced, { authorization: `Bearer ${token({})}` })).answer.body).not.toContain('UNAUTHORIZED');
    expect((await compare(production, priced, { authorization: 'Bearer not.a.token' })).answer.status).toBe(401);
    // Masked in production, and a coded error kept.
    const masked = await compare(production, { query: '{ unexpectedFailure forbiddenField }' });
    expect(masked.fast).toBe(true);
    expect(masked.answer.body).not.toContain('db-7');
    // Rate limits: the same sequence to both until both refuse.
    let refused: Answer | undefined;
    for (let index = 0; index < 40 && !refused; index += 1) {
      const { answer } = await compare(production, { query: `{ topProducts(first: 1) { upc } }` });
      if (answer.status === 429) refused = answer;
    }
    expect(refused?.status).toBe(429);
  });

  it('leaves to Apollo Server what it does not take, with the same answers', async () => {
    const cases: [unknown, Record<string, string>?][] = [
      ['{"query": "{ topProducts { upc } }"', {}],
      [{ query: '{ topProducts { upc } ' }],
      [{ query: '{ topProducts { nope } }' }, { accept: 'application/graphql-response+json' }],
      [{ query: '{ topProducts { upc } }', operationName: 'Missing' }],
      [{ query: 'query A { __typename } query B { __typename }' }],
      [{ query: '{ topProducts { upc } }', variables: '{}' }],
      [{ query: '{ topProducts { upc } }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }],
      [{ extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }],
      [{ query: '' }],
      [{ query: 7 }],
      [[{ query: '{ __typename }' }, { query: '{ __typename }' }]],
      [{ query: '{ __typename }' }, { 'content-type': 'text/plain' }],
      [{ query: '{ __typename }' }, { accept: 'text/html;q=0.9, application/xml' }],
      [{ query: '{ __schema { queryType { name } } }' }],
    ];
    for (const [body, headers] of cases) {
      const { fast } = await compare(production, body, headers);
      expect(fast, JSON.stringify(body)).toBe(false);
    }
  });

  it('answers introspection in development on the fast path', async () => {
    const { answer, fast } = await compare(development, { query: '{ __schema { queryType { name } } __type(name: "Product") { fields { name } } }' });
    expect(fast).toBe(true);
    expect(answer.body).toContain('"queryType"');
    const detail = await compare(development, { query: '{ unexpectedFailure }' });
    expect(detail.fast).toBe(true);
  });

  it('answers generated bodies and headers the same, taken or not', async () => {
    const stored = 'query A($n: Int) { topProducts(first: $n) { upc } } query B { __typename }';
    await compare(development, { query: stored, operationName: 'B' });
    const value = fc.constantFrom<unknown>(undefined, null, 7, 'text', [], {}, { n: 1 }, { n: 'x' }, { __proto__: { n: 1 } }, { constructor: 1 });
    const body = fc.record(
      {
        query: fc.constantFrom<unknown>(stored, '{ topProducts(first: 1) { upc } }', '{ nope }', '{', '', 3, null),
        operationName: fc.constantFrom<unknown>('A', 'B', 'Missing', '__proto__', null, 7, ''),
        variables: value,
        extensions: fc.constantFrom<unknown>(undefined, null, {}, { persistedQuery: null }, { persistedQuery: { version: 1, sha256Hash: 'x' } }, 'x', [], {
          other: 1,
        }),
      },
      { requiredKeys: [] },
    );
    const accept = fc.constantFrom<string | undefined>(
      undefined,
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'text/html',
      'application/json;q=0',
      '',
    );
    await fc.assert(
      fc.asyncProperty(body, accept, async (generated, acceptHeader) => {
        await compare(development, generated, acceptHeader === undefined ? {} : { accept: acceptHeader });
      }),
      { numRuns: 40 },
    );
  });

  it('answers trusted-document hits and refusals the same', async () => {
    const listed = await compare(trusted, { query: manifestDocument });
    expect(listed.fast).toBe(true);
    expect(listed.answer.status).toBe(200);
    const unlisted = await compare(trusted, { query: '{ topProducts(first: 1) { name } }' });
    expect(unlisted.fast).toBe(true);
    expect(unlisted.answer.body).toContain('PERSISTED_QUERY_NOT_ALLOWED');
    const byId = await compare(trusted, {
      extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(manifestDocument).digest('hex') } },
    });
    expect(byId.fast).toBe(false);
  });
});
