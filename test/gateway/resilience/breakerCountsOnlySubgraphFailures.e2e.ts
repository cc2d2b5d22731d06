import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayContext, Viewer } from '../../../gateway/GatewayContext.js';
import { createSubgraphClient, type SubgraphClient } from '../../../gateway/subgraphRequests/createSubgraphClient.js';
import { decodeIdentity } from '../../../common/identityHeader.js';

// A real subgraph client in front of a real HTTP server, with a breaker that opens after one
// failure: only a failure the subgraph caused may open it.
let server: Server;
let url: string;
const received: IncomingHttpHeaders[] = [];
let failing = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' });
      res.end(failing ? '{}' : '{"data":{"ok":true}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function clientWith(propagated: Record<string, string>): SubgraphClient {
  return createSubgraphClient({
    name: 'products',
    url,
    settings: {
      timeoutMs: 5_000,
      maxResponseBytes: 1024 * 1024,
      dedupQueries: false,
      retry: { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 1, budgetPercent: 10, budgetMinPerSecond: 1 },
      breaker: { enabled: true, failureThreshold: 1, resetTimeoutMs: 600_000 },
    },
    maxConnections: 4,
    signingSecret: 'breaker-test-signing-secret-01234',
    propagateHeaders: () => propagated,
    forwardClaims: ['name'],
    forwardToken: false,
    logger: pino({ level: 'silent' }),
  });
}

const callerAs = (viewer: Viewer | null) => ({
  context: { requestId: 'req-1', signal: new AbortController().signal, deadlineAt: Date.now() + 10_000, clientAddress: '127.0.0.1', viewer } as GatewayContext,
  clientHeaders: Object.assign(new Map<string, string>(), { get: () => undefined }),
});
const request = { query: '{ ok }', operationName: undefined, variables: {}, mutation: false };

describe('the circuit breaker of a subgraph', () => {
  it('is not opened by requests the gateway could not send (a header value undici refuses)', async () => {
    // A header rule's value the gateway cannot send: the gateway's fault, not the subgraph's.
    const client = clientWith({ 'x-set-by-rule': 'Zoë\nx' });
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await expect(client.send(request, callerAs(null))).rejects.toMatchObject({ extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'products' } });
      }
    } finally {
      await client.close();
    }
  });

  it('stays closed for identities with any characters, which all reach the subgraph intact', async () => {
    const client = clientWith({});
    try {
      for (const subject of ['Zoë', '管理者\n', '\u0000\u007f', '😀', '\ud800']) {
        const before = received.length;
        expect(await client.send(request, callerAs({ subject, scopes: [subject], claims: { name: subject } }))).toEqual({ data: { ok: true } });
        const header = received[before]!['x-portico-identity'];
        expect(decodeIdentity(String(header))).toEqual({ ok: true, identity: { sub: subject, scopes: [subject], claims: { name: subject } } });
      }
      expect(await client.send(request, callerAs(null))).toEqual({ data: { ok: true } });
    } finally {
      await client.close();
    }
  });

  it('is opened by a failure the subgraph caused (5xx), as before', async () => {
    const client = clientWith({});
    try {
      failing = true;
      await expect(client.send(request, callerAs(null))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_ERROR' } });
      failing = false;
      await expect(client.send(request, callerAs(null))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    } finally {
      failing = false;
      await client.close();
    }
  });
});
