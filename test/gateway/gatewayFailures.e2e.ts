import { fetch } from 'undici';
import { describe, expect, vi } from 'vitest';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { reviewsSubgraph } from './fixtures/reviews.js';
import { shopTest as it } from './fixtures/shopTest.js';
import type { RunningGateway } from './fixtures/startGateway.js';
import { startSubgraph } from './fixtures/startSubgraph.js';

describe('gateway when subgraphs fail', () => {
  it('answers with the data it has when a subgraph is down, naming the service', async ({ gatewayWith }) => {
    // A reviews subgraph that has been stopped: its port refuses connections.
    const dead = await startSubgraph(reviewsSubgraph);
    await dead.stop();
    const gateway = await gatewayWith('dead-reviews', { mode: 'production', subgraphs: { reviews: { url: dead.url } } });

    const { response, body } = await postGraphQL(gateway.origin, { query: '{ topProducts(first: 1) { name reviews { body } } }' });
    expect(response.status).toBe(200);
    expect(body.data).toEqual({ topProducts: [{ name: 'Table', reviews: null }] });
    expect(body.errors).toEqual([
      {
        // "could not be reached (ECONNREFUSED)", unless another process on this machine has
        // taken the freed port meanwhile; either way the client learns which service failed.
        message: expect.stringMatching(/^Subgraph "reviews" /),
        path: ['topProducts'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'reviews' },
      },
    ]);
  });

  it('gives up on a subgraph after its deadline', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('deadline', { mode: 'production', subgraphs: { products: { timeoutMs: 50 } } });
    const { response, body } = await postGraphQL(gateway.origin, { query: '{ slowField(tag: "deadline") }' });
    expect(response.status).toBe(200);
    expect(body.data).toEqual({ slowField: null });
    expect(body.errors).toEqual([
      {
        message: 'Subgraph "products" did not answer within 50 ms',
        path: ['slowField'],
        extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'products' },
      },
    ]);
    releaseSlowFields();
  });

  it('cancels the subgraph call when the client goes away', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('client-abort', { mode: 'production' });
    const client = new AbortController();
    const request = postGraphQL(gateway.origin, { query: '{ slowField(tag: "abort") }' }, {}, undefined, client.signal);
    await vi.waitFor(() => expect(pendingSlowFields('abort')).toBe(1));
    client.abort();
    await expect(request).rejects.toThrow();
    // The subgraph never answered: the gateway gave up on it because the client left.
    await vi.waitFor(() => expect(JSON.stringify(gateway.logs)).toMatch(/The request to Subgraph \\"products\\" was cancelled because the client went away/));
  });

  it('refuses a subgraph override the supergraph does not know, listing the known names', async ({ gatewayWith }) => {
    await expect(gatewayWith('unknown-subgraph', { subgraphs: { inventory: { url: 'http://inventory.invalid/graphql' } } })).rejects.toThrow(
      /subgraphs\.inventory: no subgraph of that name .*\(known: products, reviews\)/,
    );
  });

  it('with readyChecksSubgraphs, /ready lists every subgraph and fails while one does not answer', async ({ gatewayWith }) => {
    const dead = await startSubgraph(reviewsSubgraph);
    await dead.stop();
    const ready = async (gateway: RunningGateway) => {
      const response = await fetch(`${gateway.origin}/ready`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const healthy = await gatewayWith('ready-checks', { server: { readyChecksSubgraphs: true } });
    expect(await ready(healthy)).toMatchObject({
      status: 200,
      body: { status: 'pass', details: { subgraphs: { products: 'reachable', reviews: 'reachable' } } },
    });

    const broken = await gatewayWith('ready-checks-dead', { server: { readyChecksSubgraphs: true }, subgraphs: { reviews: { url: dead.url } } });
    const { status, body } = await ready(broken);
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'fail',
      reason: 'subgraphs not reachable: reviews',
      details: { subgraphs: { products: 'reachable', reviews: expect.stringMatching(/^unreachable|^answered HTTP/) } },
    });
  });

  it('stops being ready when it drains, and finishes the requests in flight', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('drain', { mode: 'production' });
    expect(gateway.server.isReady()).toBe(true);
    const inFlight = postGraphQL(gateway.origin, { query: '{ slowField(tag: "drain") }' });
    await vi.waitFor(() => expect(pendingSlowFields('drain')).toBe(1));

    // The server's own stop: the drain under test, with the client's keep-alive connection as it is.
    const stopped = gateway.server.stop();
    await vi.waitFor(() => expect(gateway.server.isReady()).toBe(false));
    releaseSlowFields();

    const { response, body } = await inFlight;
    expect(response.status).toBe(200);
    expect(body).toEqual({ data: { slowField: 'finally' } });
    await stopped;
  });
});
