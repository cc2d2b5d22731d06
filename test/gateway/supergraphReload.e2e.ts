import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetch } from 'undici';
import { runLoad } from '../support/runLoad.js';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { startFlakyProxy, type FlakyProxy } from './fixtures/startFlakyProxy.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';
import { writeSupergraph } from './fixtures/writeSupergraph.js';

let shop: Shop;
let proxy: FlakyProxy;
let gateway: RunningGateway;

beforeAll(async () => {
  shop = await startShop();
  proxy = await startFlakyProxy(shop.products.url);
});

afterAll(async () => {
  releaseSlowFields();
  await gateway?.stop();
  await proxy?.close();
  await shop?.stop();
});

/** Replaces the served supergraph the way deploy tools do: write it aside, then rename it over. */
function replaceSupergraph(write: (dir: string) => string) {
  renameSync(write(mkdtempSync(path.join(shop.dir, 'next-'))), shop.supergraphPath);
}

/** Writes `content` as `dir/supergraph.graphql`. */
const text = (content: string) => (dir: string) => {
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, content);
  return file;
};

/** What /ready says of the supergraph: in development only, and nothing that names a file or URL. */
async function supergraphStatus(of: RunningGateway = gateway) {
  const body = (await (await fetch(`${of.origin}/ready`)).json()) as { details: { supergraph: { reloads: number; lastError?: { at: string } } } };
  return body.details.supergraph;
}

/** Why the last reload was refused, as the log says (with the file or URL, which /ready never shows). */
function lastRefusal(of: RunningGateway = gateway): string | undefined {
  const prefix = 'kept the previous supergraph: ';
  return of.logs
    .map((line) => String(line.msg))
    .filter((msg) => msg.startsWith(prefix))
    .at(-1)
    ?.slice(prefix.length);
}

describe('supergraph hot reload', () => {
  it('swaps to a new supergraph under constant load with zero failed requests, and an unusable file changes nothing', async () => {
    gateway = await startGateway(shop.dir, 'reload', { mode: 'development', supergraph: { path: shop.supergraphPath, pollIntervalMs: 20 } });
    const query = { query: '{ topProducts(first: 2) { name reviews { body } } }' };
    const expected = {
      data: {
        topProducts: [
          { name: 'Table', reviews: [{ body: 'Love it!' }, { body: 'Too expensive.' }] },
          { name: 'Couch', reviews: [{ body: 'Could be better.' }] },
        ],
      },
    };
    let phase = 'before';
    const load = runLoad({ concurrency: 4, maxRequests: 5000, phase: () => phase, send: () => postGraphQL(gateway.origin, query) });
    // A request in flight across the swap.
    const inFlight = postGraphQL(gateway.origin, { query: '{ slowField(tag: "reload") }' });
    try {
      // Vitest's default second was too short for a loaded machine (a full run at a load average of 10).
      await vi.waitFor(() => expect(pendingSlowFields('reload')).toBe(1), { timeout: 10_000 });
      await vi.waitFor(() => expect(load.count('before')).toBeGreaterThanOrEqual(20), { timeout: 10_000 });

      // The same subgraphs, the products one now routed through the proxy: its requests show the swap.
      phase = 'swapping';
      replaceSupergraph((dir) => writeSupergraph(dir, [{ ...shop.products, url: proxy.url }, shop.reviews]));
      await vi.waitFor(async () => expect((await supergraphStatus()).reloads).toBe(1), { timeout: 10_000 });
      phase = 'after';
      await vi.waitFor(() => expect(load.count('after')).toBeGreaterThanOrEqual(20), { timeout: 10_000 });
      // De-duplication folds some of the load's identical queries together; some still arrive.
      expect(proxy.received.length).toBeGreaterThan(0);
      releaseSlowFields();
      expect((await inFlight).body).toEqual({ data: { slowField: 'finally' } });

      // Unusable files: not GraphQL, then GraphQL that is no supergraph. The last good one serves on.
      for (const [bad, reason] of [
        ['this is { not graphql', /is not valid GraphQL SDL/],
        ['type Query { a: Int }', /names no subgraphs/],
      ] as const) {
        phase = 'invalid';
        replaceSupergraph(text(bad));
        await vi.waitFor(() => expect(lastRefusal()).toMatch(reason), { timeout: 10_000 });
        expect((await supergraphStatus()).lastError?.at).toEqual(expect.any(String));
        const seen = proxy.received.length;
        phase = `after ${bad}`;
        await vi.waitFor(() => expect(load.count(phase)).toBeGreaterThanOrEqual(10), { timeout: 10_000 });
        expect(proxy.received.length).toBeGreaterThan(seen);
        expect((await supergraphStatus()).reloads).toBe(1);
      }
      expect((await fetch(`${gateway.origin}/ready`)).status).toBe(200);
    } finally {
      await load.stop();
    }

    for (const { reply } of load.replies) {
      expect(reply).not.toBeInstanceOf(Error);
      const { response, body } = reply as Awaited<ReturnType<typeof postGraphQL>>;
      expect(response.status).toBe(200);
      expect(body).toEqual(expected);
    }
    expect(gateway.logs.map((line) => line.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^kept the previous supergraph: /)]));
  });

  it('takes a new supergraph that adds authorization directives, and enforces them at once', async () => {
    replaceSupergraph((dir) => writeSupergraph(dir, [shop.products, shop.reviews]));
    const secured = await startGateway(shop.dir, 'reload-secured', { mode: 'development', supergraph: { path: shop.supergraphPath, pollIntervalMs: 20 } });
    try {
      const query = { query: '{ topProducts(first: 1) { name } }' };
      expect((await postGraphQL(secured.origin, query)).body.errors).toBeUndefined();
      const guarded = print(shop.products.typeDefs)
        .replace('import: ["@key"]', 'import: ["@key", "@authenticated"]')
        .replace('federation/v2.5', 'federation/v2.6')
        .replace(/topProducts\(first: Int = 5\): \[Product!\]!/, 'topProducts(first: Int = 5): [Product!] @authenticated');
      expect(guarded).toContain('@authenticated');
      replaceSupergraph((dir) => writeSupergraph(dir, [{ ...shop.products, typeDefs: parse(guarded) }, shop.reviews]));
      await vi.waitFor(async () => expect((await postGraphQL(secured.origin, query)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED'), {
        timeout: 10_000,
      });
      const status = (await (await fetch(`${secured.origin}/ready`)).json()) as { details: { supergraph: { lastError?: unknown } } };
      expect(status.details.supergraph.lastError).toBeUndefined();
    } finally {
      await secured.stop();
    }
  });
  it('polls a supergraph URL: swaps to what it serves next, keeps the previous one while it fails', async () => {
    // The supergraph as a registry or an artefact store would serve it.
    const composed = (subgraphs: Parameters<typeof writeSupergraph>[1]) =>
      readFileSync(writeSupergraph(mkdtempSync(path.join(shop.dir, 'registry-')), subgraphs), 'utf8');
    let served = { status: 200, body: composed([shop.products, shop.reviews]) };
    const registry = createServer((_req, res) => res.writeHead(served.status).end(served.body));
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/supergraph.graphql`;
    const polling = await startGateway(shop.dir, 'reload-url', { mode: 'development', supergraph: { url, pollIntervalMs: 20 } });
    try {
      const topName = async () => (await postGraphQL(polling.origin, { query: '{ topProducts(first: 1) { name } }' })).body;
      expect(await topName()).toEqual({ data: { topProducts: [{ name: 'Table' }] } });
      expect(JSON.stringify(await supergraphStatus(polling))).not.toContain('127.0.0.1');

      served = { status: 200, body: composed([{ ...shop.products, url: proxy.url }, shop.reviews]) };
      await vi.waitFor(async () => expect((await supergraphStatus(polling)).reloads).toBe(1), { timeout: 10_000 });
      const seen = proxy.received.length;
      expect(await topName()).toEqual({ data: { topProducts: [{ name: 'Table' }] } });
      expect(proxy.received.length).toBe(seen + 1);

      served = { status: 503, body: 'maintenance' };
      await vi.waitFor(() => expect(lastRefusal(polling)).toContain(`Cannot download the supergraph ${url}: it answered HTTP 503`), { timeout: 10_000 });
      expect((await supergraphStatus(polling)).lastError?.at).toEqual(expect.any(String));
      expect(await topName()).toEqual({ data: { topProducts: [{ name: 'Table' }] } });
      expect(proxy.received.length).toBe(seen + 2);
      expect((await supergraphStatus(polling)).reloads).toBe(1);
    } finally {
      await polling.stop();
      await new Promise((resolve) => registry.close(resolve));
    }
  });

  it('refuses to start when the supergraph URL cannot be downloaded', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/supergraph.graphql`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(startGateway(shop.dir, 'url-down', { supergraph: { url } })).rejects.toThrow(
      new RegExp(`supergraph\\.url: Cannot download the supergraph ${url.replace(/\./g, '\\.')}: `),
    );
  });
});
