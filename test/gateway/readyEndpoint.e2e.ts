import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { createRequestHandler } from '../../gateway/http/createRequestHandler.js';
import { createReadiness } from '../../gateway/health/createReadiness.js';
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
