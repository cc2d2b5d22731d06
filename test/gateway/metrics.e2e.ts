import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetch } from 'undici';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { reviewsSubgraph } from './fixtures/reviews.js';
import { startGateway, type RunningGateway } from './fixtures/startGateway.js';
import { startShop, type Shop } from './fixtures/startShop.js';
import { startSubgraph } from './fixtures/startSubgraph.js';
import { writeSupergraph } from './fixtures/writeSupergraph.js';

let shop: Shop;
let gateway: RunningGateway;

beforeAll(async () => {
  shop = await startShop();
  // The reviews subgraph is down, so that failures, retries and partial results can be counted.
  const dead = await startSubgraph(reviewsSubgraph);
  await dead.stop();
  gateway = await startGateway(shop.dir, 'metrics', {
    supergraph: { path: shop.supergraphPath, pollIntervalMs: 20 },
    upstream: { retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } },
    subgraphs: { reviews: { url: dead.url } },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await shop?.stop();
});

async function scrape() {
  const response = await fetch(`${gateway.origin}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

const web = { 'apollographql-client-name': 'web', 'apollographql-client-version': '1.2.0' };

describe('/metrics', () => {
  it('parses as Prometheus text and counts requests by operation, outcome and client', async () => {
    const before = await scrape();
    const labels = { operation_name: 'Top', operation_type: 'query', outcome: 'success', client_name: 'web', client_version: '1.2.0' };
    expect(valueOf(before, 'portico_requests_total', labels)).toBe(0);

    for (let i = 0; i < 2; i += 1) {
      const { body } = await postGraphQL(gateway.origin, { query: 'query Top { topProducts(first: 1) { name oldName } }' }, web);
      expect(body.errors).toBeUndefined();
    }
    const after = await scrape();
    expect(valueOf(after, 'portico_requests_total', labels)).toBe(2);
    expect(valueOf(after, 'portico_request_duration_seconds_count', { operation_type: 'query', outcome: 'success' })).toBe(2);
    expect(valueOf(after, 'portico_deprecated_field_usage_total', { field: 'Product.oldName', client_name: 'web', client_version: '1.2.0' })).toBe(2);
    expect(valueOf(after, 'portico_subgraph_fetches_total', { subgraph: 'products', outcome: 'success' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(after, 'portico_subgraph_fetch_duration_seconds_count', { subgraph: 'products' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(after, 'portico_subgraph_breaker_state', { subgraph: 'products' })).toBe(0);
    // The same operation twice: planned once, then served from the plan cache.
    expect(valueOf(after, 'portico_query_plan_cache_total', { outcome: 'miss' }) - valueOf(before, 'portico_query_plan_cache_total', { outcome: 'miss' })).toBe(
      1,
    );
    expect(valueOf(after, 'portico_query_plan_cache_total', { outcome: 'hit' }) - valueOf(before, 'portico_query_plan_cache_total', { outcome: 'hit' })).toBe(
      1,
    );
  });

  it('counts partial results, failed subgraph attempts and retries, and requests that fail outright', async () => {
    await postGraphQL(gateway.origin, { query: 'query WithReviews { topProducts(first: 1) { name reviews { body } } }' });
    await postGraphQL(gateway.origin, { query: '{ nope }' });
    const samples = await scrape();
    expect(valueOf(samples, 'portico_requests_total', { operation_name: 'WithReviews', outcome: 'partial', client_name: '' })).toBe(1);
    expect(valueOf(samples, 'portico_requests_total', { operation_type: 'unknown', outcome: 'error' })).toBe(1);
    expect(valueOf(samples, 'portico_subgraph_fetches_total', { subgraph: 'reviews', outcome: 'SUBGRAPH_UNAVAILABLE' })).toBe(2);
    expect(valueOf(samples, 'portico_subgraph_retries_total', { subgraph: 'reviews' })).toBe(1);
  });

  it('counts supergraph reloads, refused ones apart', async () => {
    const staged = path.join(mkdtempSync(path.join(shop.dir, 'next-')), 'supergraph.graphql');
    writeFileSync(staged, 'type Query { a: Int }');
    renameSync(staged, shop.supergraphPath);
    await vi.waitFor(async () => expect(valueOf(await scrape(), 'portico_supergraph_reloads_total', { outcome: 'failure' })).toBe(1), { timeout: 10_000 });
    expect(valueOf(await scrape(), 'portico_supergraph_reloads_total', { outcome: 'success' })).toBe(0);
  });

  it('counts refusals by reason and code: demand control and rate limits', async () => {
    // The reload test above leaves an unusable file behind.
    writeSupergraph(shop.dir, [shop.products, shop.reviews]);
    const strict = await startGateway(shop.dir, 'metrics-strict', {
      supergraph: { path: shop.supergraphPath },
      limits: { maxDepth: 2 },
      // Answered at once: the point is the rejection's count, not the hold (README, Traffic protection).
      rateLimit: { default: { windowSeconds: 60, limit: 2 }, perAddress: { holdRefusalsMs: 0 } },
    });
    try {
      const deep = await postGraphQL(strict.origin, { query: '{ topProducts { reviews { body } } }' });
      expect(deep.response.status).toBe(400);
      expect(deep.body.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
      for (let i = 0; i < 3; i += 1) await postGraphQL(strict.origin, { query: '{ topProducts(first: 1) { name } }' });
      const metrics = parsePrometheusText(await (await fetch(`${strict.origin}/metrics`)).text());
      expect(valueOf(metrics, 'portico_rejections_total', { reason: 'demand_control', code: 'MAX_DEPTH_EXCEEDED' })).toBe(1);
      expect(valueOf(metrics, 'portico_rejections_total', { reason: 'rate_limit', code: 'RATE_LIMITED' })).toBeGreaterThanOrEqual(1);
    } finally {
      await strict.stop();
    }
  });
});

describe('/metrics on the internal listener (production by default)', () => {
  it('is served there, not on the public port, and the listener serves nothing else', async () => {
    const production = await startGateway(shop.dir, 'metrics-production', { mode: 'production', supergraph: { path: shop.supergraphPath } });
    try {
      expect((await postGraphQL(production.origin, { query: 'query Seen { topProducts(first: 1) { name } }' })).response.status).toBe(200);
      const publicScrape = await fetch(`${production.origin}/metrics`);
      expect(publicScrape.status).toBe(404);
      expect(((await publicScrape.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('NOT_FOUND');

      const internal = `http://127.0.0.1:${production.server.metricsAddress()!.port}`;
      expect(internal).not.toBe(production.origin);
      const response = await fetch(`${internal}/metrics`);
      expect(response.status).toBe(200);
      expect(valueOf(parsePrometheusText(await response.text()), 'portico_requests_total', { operation_name: 'Seen', outcome: 'success' })).toBe(1);
      expect((await fetch(`${internal}/graphql`, { method: 'POST' })).status).toBe(404);
      const post = await fetch(`${internal}/metrics`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET');
    } finally {
      await production.stop();
    }
  });
});
