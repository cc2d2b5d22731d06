import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import { createRequestHandler } from '../../gateway/http/createRequestHandler.js';
import { createAdmission } from '../../gateway/traffic/createAdmission.js';
import { httpLayerOptions } from './fixtures/httpLayerOptions.js';

// The HTTP layer alone, with an authenticator the test holds (as a JWKS fetch would): a client
// that goes away while it is being authenticated must not take the one slot for good.
const apollo = new ApolloServer<GatewayContext>({ typeDefs: 'type Query { a: Int }', resolvers: { Query: { a: () => 1 } } });
const admission = createAdmission({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 1000 });
let letAuthenticationFinish: () => void = () => {};
let authenticating = 0;
let server: http.Server;
let origin: string;

beforeAll(async () => {
  await apollo.start();
  server = http.createServer(
    createRequestHandler(
      httpLayerOptions(
        { apollo },
        {
          admission,
          authenticator: {
            authenticate: () => {
              authenticating += 1;
              return new Promise((resolve) => (letAuthenticationFinish = () => resolve(null)));
            },
          },
        },
      ),
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  admission.close();
  await apollo.stop();
  await new Promise((resolve) => server.close(resolve));
});

it('a client gone during authentication takes no slot: the next request is served', async () => {
  const client = new AbortController();
  const gone = fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ a }' }),
    signal: client.signal,
  }).catch(() => 'aborted');
  await vi.waitFor(() => expect(authenticating).toBe(1));
  client.abort();
  expect(await gone).toBe('aborted');
  // Let the socket close reach the server, then let authentication finish.
  await new Promise((resolve) => setTimeout(resolve, 50));
  letAuthenticationFinish();
  await vi.waitFor(() => expect(admission.state()).toEqual({ limit: 1, inFlight: 0, queued: 0 }));

  const next = fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ a }' }) });
  await vi.waitFor(() => expect(authenticating).toBe(2));
  letAuthenticationFinish();
  const response = await next;
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { a: 1 } });
});
