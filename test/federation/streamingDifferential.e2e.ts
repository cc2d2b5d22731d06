import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { hiveStreamingCommand } from '../../bench/gateways/hiveStreamingCommand.js';
import { startOnFreePort, type GatewayProcess } from '../../bench/gateways/startGatewayProcess.js';
import { createLogger } from '../../common/createLogger.js';
import { Headers } from '../../common/headers.js';
import { loadGatewayConfig } from '../../gateway/config/loadGatewayConfig.js';
import { createGatewayServer, type GatewayServer } from '../../gateway/createGatewayServer.js';
import { readSubgraphSchema } from '../../subgraphs/kit/readSubgraphSchema.js';
import { wsClient } from '../gateway/websocket/webSocketClient.js';
import { writeSupergraph } from '../gateway/fixtures/writeSupergraph.js';
import { startDemoBackends, type DemoBackends } from '../support/startDemoBackends.js';
import { mergeIncrementalParts } from '../support/mergeIncrementalParts.js';
import { postMultipart } from '../support/readMultipart.js';
import { postGraphQL } from '../support/startStack.js';
import { startSubgraphs, testSigningSecret, type RunningSubgraphs, type SubgraphName } from '../support/startSubgraphs.js';
import { stopServer } from '../support/stopServer.js';

// Subscriptions and @defer, Portico against Hive Gateway, in front of the same demo subgraphs and
// the same composed supergraph. Hive cannot sign subgraph requests, so the subgraphs accept
// unsigned ones (a signed request is still checked, and only a signed one carries a viewer):
// writes (`createReview` needs a signed-in author) go through Portico, and both gateways'
// subscribers see them, each through its own upstream subscription over graphql-transport-ws.
const jwtSecret = 'streaming-differential-jwt-secret-0123456789';
const subgraphNames: SubgraphName[] = ['accounts', 'products', 'inventory', 'reviews'];

let dir: string;
let backends: DemoBackends;
let subgraphs: RunningSubgraphs;
let portico: { server: GatewayServer; url: string };
let hive: GatewayProcess;
const clients: Client[] = [];
/** WebSocket upgrades the reviews subgraph received: signed (Portico's) and unsigned (Hive's). */
const reviewsUpgrades = { signed: 0, unsigned: 0 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portico-streaming-differential-'));
  backends = await startDemoBackends();
  subgraphs = await startSubgraphs(backends, { requireSignature: false });
  subgraphs.httpServer('reviews').on('upgrade', (req: IncomingMessage) => {
    if (req.headers[Headers.signature]) reviewsUpgrades.signed += 1;
    else reviewsUpgrades.unsigned += 1;
  });
  const supergraph = writeSupergraph(
    dir,
    subgraphNames.map((name) => ({ name, url: subgraphs.urls[name], typeDefs: readSubgraphSchema(name) })),
  );
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, stringify({ mode: 'production', supergraph: { path: supergraph }, authentication: { mode: 'optional', secret: jwtSecret } }));
  const server = await createGatewayServer(loadGatewayConfig({ file, env: { PORTICO_SIGNING_SECRET: testSigningSecret } }), {
    logger: createLogger({ name: 'differential-gateway', level: process.env.LOG_LEVEL ?? 'silent' }),
  });
  const address = await server.listen(0, '127.0.0.1');
  portico = { server, url: `http://127.0.0.1:${address.port}/graphql` };
  hive = await startOnFreePort((port) => hiveStreamingCommand(supergraph, port), { cpu: null });
}, 120_000);

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await hive?.stop();
  await stopServer(portico?.server);
  await subgraphs?.close();
  await backends?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A shared machine is slow: what must happen gets time, and nothing is measured by it.
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 30_000, interval: 100 });
const author = () => `Bearer ${jwt.sign({ sub: '7' }, jwtSecret, { algorithm: 'HS256', expiresIn: 600 })}`;
const createReview = 'mutation ($input: CreateReviewInput!) { createReview(input: $input) { id } }';

/** Writes a review through Portico as user 7. */
async function writeReview(productUpc: string, body: string): Promise<string> {
  const reply = await postGraphQL(portico.url, createReview, { input: { productUpc, body, rating: 3 } }, { authorization: author() });
  expect(reply.errors).toBeUndefined();
  return (reply.data?.createReview as { id: string }).id;
}

/** A graphql-ws subscriber on one gateway, collecting every payload it is sent. */
function subscribe(url: string, query: string, variables: Record<string, unknown>) {
  const client = wsClient(url);
  clients.push(client);
  const events: { data?: Record<string, unknown> | null; errors?: unknown }[] = [];
  let failure: unknown;
  const stop = client.subscribe(
    { query, variables },
    { next: (value) => void events.push(value as never), error: (error) => void (failure = error), complete: () => undefined },
  );
  return { events, failure: () => failure, stop };
}

const bodyOf = (event: { data?: Record<string, unknown> | null }) => (event.data?.reviewAdded as { body?: string } | null | undefined)?.body ?? '';

describe('subscriptions: Portico delivers what Hive Gateway delivers', () => {
  it('reviewAdded with entity fields from three other subgraphs: the same events, in the same order', async () => {
    const query = `subscription OnReview($upc: String) {
      reviewAdded(productUpc: $upc) { id body rating author { id name } product { upc name price inStock } }
    }`;
    const onPortico = subscribe(portico.url, query, { upc: '2' });
    const onHive = subscribe(hive.url, query, { upc: '2' });
    // Neither gateway says when its upstream subscription is open: probe reviews are written until
    // both subscribers have seen one, and the comparison is over the reviews written after that.
    let probes = 0;
    await eventually(async () => {
      if (!onPortico.events.some((event) => bodyOf(event).startsWith('probe')) || !onHive.events.some((event) => bodyOf(event).startsWith('probe'))) {
        probes += 1;
        await writeReview('2', `probe ${probes}`);
      }
      expect(onPortico.events.some((event) => bodyOf(event).startsWith('probe'))).toBe(true);
      expect(onHive.events.some((event) => bodyOf(event).startsWith('probe'))).toBe(true);
    });
    const written: string[] = [];
    for (let index = 0; index < 12; index += 1) written.push(await writeReview('2', `review ${index}`));
    // A review of another product reaches neither.
    await writeReview('3', 'review of another product');
    const compared = (events: typeof onPortico.events) => events.filter((event) => bodyOf(event).startsWith('review'));
    await eventually(() => expect(compared(onPortico.events)).toHaveLength(12));
    await eventually(() => expect(compared(onHive.events)).toHaveLength(12));
    expect(onPortico.failure()).toBeUndefined();
    expect(onHive.failure()).toBeUndefined();
    expect(compared(onPortico.events)).toEqual(compared(onHive.events));
    const first = compared(onPortico.events)[0]!;
    expect(first).toEqual({
      data: {
        reviewAdded: {
          id: written[0],
          body: 'review 0',
          rating: 3,
          author: { id: '7', name: expect.any(String) },
          product: { upc: '2', name: expect.any(String), price: expect.any(Number), inStock: expect.any(Boolean) },
        },
      },
    });
    expect(compared(onPortico.events).map((event) => (event.data?.reviewAdded as { id: string }).id)).toEqual(written);
    // Both reached the subgraph over graphql-transport-ws: the comparison is of the same upstream protocol.
    expect(reviewsUpgrades.signed).toBeGreaterThanOrEqual(1);
    expect(reviewsUpgrades.unsigned).toBeGreaterThanOrEqual(1);
    onPortico.stop();
    onHive.stop();
  });
});

/**
 * Sends one deferred operation to both gateways as Apollo Client does and returns what each
 * client holds at the end. Compared: the merged result, and the incremental items (each deferred
 * fragment's data at its path, with its label) as a set. Not compared: how the items are grouped
 * into parts and in which order parts come, which is each gateway's scheduling and which the
 * incremental delivery format leaves to the server. Observed: for two sibling deferred fragments
 * (the last test) Portico sends `price weight` (products) first and Hive `inStock reviews` first,
 * whichever fetch its executor finishes first; Portico writes `hasNext` before `incremental`, Hive
 * after (JSON key order, no meaning).
 */
async function deferredOnBoth(query: string, variables?: Record<string, unknown>) {
  const [onPortico, onHive] = await Promise.all([postMultipart(portico.url, { query, variables }), postMultipart(hive.url, { query, variables })]);
  expect(onPortico.status).toBe(200);
  expect(onHive.status).toBe(200);
  expect(onPortico.contentType).toMatch(/^multipart\/mixed/);
  expect(onHive.contentType).toMatch(/^multipart\/mixed/);
  for (const reply of [onPortico, onHive]) {
    expect(reply.parts[0]).toMatchObject({ hasNext: true });
    expect(reply.parts.at(-1)).toMatchObject({ hasNext: false });
    for (const part of reply.parts) expect(part.errors).toBeUndefined();
  }
  expect(itemsOf(onPortico.parts)).toEqual(itemsOf(onHive.parts));
  return { portico: mergeIncrementalParts(onPortico.parts), hive: mergeIncrementalParts(onHive.parts) };
}

/** Every incremental item of an answer, in an order that does not depend on how they were sent. */
function itemsOf(parts: Record<string, unknown>[]): string[] {
  return parts.flatMap((part) => ((part.incremental as unknown[] | undefined) ?? []).map((item) => JSON.stringify(item))).sort();
}

describe('@defer: the merged result is what Hive Gateway merges to', () => {
  it('a product page with its reviews (and their authors, from another subgraph) deferred', async () => {
    const both = await deferredOnBoth(
      'query Page($upc: String!) { product(upc: $upc) { upc name price ... @defer(label: "reviews") { reviews { body rating author { name } } } } }',
      { upc: '4' },
    );
    expect(both.portico).toEqual(both.hive);
    expect((both.portico.product as { reviews: unknown[] }).reviews.length).toBeGreaterThan(0);
  });

  it('a list whose items defer their stock and, nested, their reviews', async () => {
    const both = await deferredOnBoth(
      '{ topProducts(first: 4) { upc name ... @defer(label: "stock") { inStock shippingEstimate ... @defer(label: "reviews") { reviews { rating author { name } } } } } }',
    );
    expect(both.portico).toEqual(both.hive);
    expect(both.portico.topProducts).toHaveLength(4);
  });

  it('two sibling deferred fragments on one entity, one of them fetching from the same subgraph as the initial payload', async () => {
    const both = await deferredOnBoth('{ product(upc: "1") { name ... @defer { price weight } ... @defer { inStock reviews { body } } } }');
    expect(both.portico).toEqual(both.hive);
  });
});
