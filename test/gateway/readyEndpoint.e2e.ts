import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { createCors } from '../../gateway/http/createCors.js';
import { createRequestHandler } from '../../gateway/http/createRequestHandler.js';
import { createFailedRequestLog } from '../../gateway/plugins/createFailedRequestLog.js';
import { createReadiness } from '../../gateway/health/createReadiness.js';
import { createAdmission } from '../../gateway/traffic/createAdmission.js';

// The HTTP layer alone, with a readiness the test controls: a gateway built by
// createGatewayServer has always loaded its supergraph by the time it can listen.
const readiness = createReadiness();
const logger = pino({ level: 'silent' });
const server = http.createServer(
  createRequestHandler({
    apollo: new ApolloServer({ typeDefs: 'type Query { a: Int }' }), // never reached by these routes
    graphqlPath: '/graphql',
    bodyLimitBytes: 1024,
    requestTimeoutMs: 60_000,
    limits: { maxDocumentBytes: 1024, maxTokens: 100, maxDepth: 5, maxAliases: 5, maxRootFields: 5, maxDirectives: 5, maxBatchSize: 2 },
    landingPage: false,
    explorer: null,
    cors: createCors({ origins: [], credentials: false, maxAgeSeconds: 600, allowHeaders: [] }),
    authenticator: { authenticate: async () => null },
    admission: createAdmission({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 1000 }),
    readiness,
    failedRequestLog: createFailedRequestLog(logger),
    logger,
  }),
);
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
