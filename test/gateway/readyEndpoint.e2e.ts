import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { createRequestHandler } from '../../gateway/http/createRequestHandler.js';
import { createReadiness } from '../../gateway/health/createReadiness.js';
import pino from 'pino';
import { httpLayerOptions } from './fixtures/httpLayerOptions.js';

// The HTTP layer alone, with a readiness the test controls: a gateway built by
// createGatewayServer has always loaded its supergraph by the time it can listen.
const readiness = createReadiness();
const server = http.createServer(createRequestHandler(httpLayerOptions({ readiness })));
let origin: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('/ready', () => {
  it('answers 503 SERVICE_NOT_READY, with the reason, until the supergraph is loaded', async () => {
    const response = await fetch(`${origin}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'fail',
      reason: 'the supergraph is not loaded yet',
      errors: [{ message: 'Not ready: the supergraph is not loaded yet', extensions: { code: 'SERVICE_NOT_READY' } }],
    });
    // Liveness does not depend on it.
    expect((await fetch(`${origin}/health`)).status).toBe(200);
  });

  it('answers 200 once it is', async () => {
    readiness.markLoaded();
    const response = await fetch(`${origin}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'pass' });
  });

  it('answers only GET and HEAD', async () => {
    expect((await fetch(`${origin}/ready`, { method: 'HEAD' })).status).toBe(200);
    const response = await fetch(`${origin}/ready`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('/ready with subgraph probes', () => {
  const probed = [
    { name: 'products', url: 'http://products.internal:4003/graphql', state: 'reachable' },
    { name: 'reviews', url: 'http://10.0.0.7:4004/graphql', state: 'unreachable (ECONNREFUSED)' },
  ];
  const supergraph = () => ({
    source: '/srv/portico/supergraph.graphql',
    loadedAt: '2026-01-01T00:00:00.000Z',
    reloads: 2,
    lastError: { at: '2026-01-01T00:01:00.000Z', message: 'The supergraph /srv/portico/supergraph.graphql is not valid GraphQL SDL' },
  });

  const readinessFor = (showDetails: boolean) => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(String((JSON.parse(line) as { msg: unknown }).msg)) });
    const built = createReadiness({ supergraph, probeSubgraphs: async () => probed, showDetails, logger });
    built.markLoaded();
    return { readiness: built, lines };
  };

  it('answers with the status and a short reason only, naming no file or host, and logs where', async () => {
    const { readiness: production, lines } = readinessFor(false);
    expect(await production.check()).toEqual({ ready: false, reason: 'subgraphs not reachable: reviews' });
    await production.check();
    // Once per change, with the URL, for the operator.
    expect(lines).toEqual(['/ready: subgraphs not reachable: reviews at http://10.0.0.7:4004/graphql (unreachable (ECONNREFUSED))']);
  });

  it("adds, in development, each subgraph's state and the supergraph's reloads, still without a file, URL or message", async () => {
    const { readiness: development } = readinessFor(true);
    const status = await development.check();
    expect(status).toEqual({
      ready: false,
      reason: 'subgraphs not reachable: reviews',
      details: {
        supergraph: { loadedAt: '2026-01-01T00:00:00.000Z', reloads: 2, lastError: { at: '2026-01-01T00:01:00.000Z' } },
        subgraphs: { products: 'reachable', reviews: 'unreachable (ECONNREFUSED)' },
      },
    });
    expect(JSON.stringify(status)).not.toMatch(/srv|internal|10\.0\.0\.7|http:/);
  });
});
