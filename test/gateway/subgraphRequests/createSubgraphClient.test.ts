import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SubgraphConfig } from '../../../gateway/config/GatewayConfig.js';
import type { GatewayContext, Viewer } from '../../../gateway/GatewayContext.js';
import { createSubgraphClient, type SubgraphCaller, type SubgraphClient } from '../../../gateway/subgraphRequests/createSubgraphClient.js';

// The composed client (send → resilience → de-duplication) against a real HTTP server on port 0.
let server: Server;
let url: string;
let received: string[] = [];
// Answers are held until the test releases them, so that identical requests overlap.
let held: ServerResponse[] = [];
let status = 200;
let body = '{"data":{"ok":true}}';

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      received.push(text);
      held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  held = [];
  status = 200;
  body = '{"data":{"ok":true}}';
});
const release = () => {
  for (const res of held.splice(0)) res.writeHead(status, { 'content-type': 'application/json' }).end(body);
};
/** Answers every request as it comes, until the promise settles. */
async function answering<T>(pending: Promise<T>): Promise<T> {
  const timer = setInterval(release, 1);
  try {
    return await pending;
  } finally {
    clearInterval(timer);
  }
}

const events: string[] = [];
function clientWith(settings: Partial<Omit<SubgraphConfig, 'url'>> = {}): SubgraphClient {
  events.length = 0;
  return createSubgraphClient({
    name: 'products',
    url,
    settings: {
      timeoutMs: 5_000,
      maxResponseBytes: 1024 * 1024,
      dedupQueries: true,
      retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2, budgetPercent: 20, budgetMinPerSecond: 100 },
      breaker: { enabled: true, failureThreshold: 3, resetTimeoutMs: 600_000 },
      ...settings,
    },
    maxConnections: 8,
    signingSecret: 'client-test-signing-secret-0123456',
    propagateHeaders: () => ({}),
    forwardClaims: [],
    forwardToken: false,
    logger: pino({ level: 'silent' }),
    observer: {
      attempt: (_durationMs, outcome) => events.push(`attempt ${outcome}`),
      retry: () => events.push('retry'),
      deduplicated: () => events.push('deduplicated'),
      breakerState: (state) => events.push(`breaker ${state}`),
    },
  });
}
const callerAs = (viewer: Viewer | null, signal = new AbortController().signal): SubgraphCaller => ({
  context: { requestId: 'req-1', signal, deadlineAt: Date.now() + 10_000, clientAddress: '127.0.0.1', viewer } as GatewayContext,
  clientHeaders: Object.assign(new Map<string, string>(), { get: () => undefined }),
});
const alice: Viewer = { subject: 'alice', scopes: [], claims: {} };
const query = { query: '{ ok }', operationName: undefined, variables: {}, mutation: false };
const mutation = { query: 'mutation { ok }', operationName: undefined, variables: {}, mutation: true };

describe('a subgraph client', () => {
  it('sends identical concurrent queries once, each caller getting its own copy of the answer', async () => {
    const client = clientWith();
    try {
      const answers = [client.send(query, callerAs(alice)), client.send(query, callerAs(alice))];
      const other = client.send(query, callerAs({ ...alice, subject: 'bob' }));
      const [a, b] = await answering(Promise.all(answers));
      await answering(other);
      expect(a).toEqual({ data: { ok: true } });
      expect(b).toEqual(a);
      expect(b).not.toBe(a);
      // Each merges into its own: the first caller's change is not the second's.
      a!.data!.ok = 'merged';
      expect(b!.data).toEqual({ ok: true });
      // Bob's request carries another identity: the subgraph could tell it apart, so it is sent.
      expect(received).toHaveLength(2);
      expect(events.filter((event) => event === 'deduplicated')).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('never shares an anonymous request with one that carries caller headers, and shares anonymous ones', async () => {
    const client = clientWith();
    try {
      const pending = [client.send(query, callerAs(null)), client.send(query, callerAs(null)), client.send(query, callerAs(alice))];
      await answering(Promise.all(pending));
      expect(received).toHaveLength(2);
      expect(events.filter((event) => event === 'deduplicated')).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('sends each query when dedupQueries is off, and never shares a mutation', async () => {
    const off = clientWith({ dedupQueries: false });
    const on = clientWith();
    try {
      await answering(Promise.all([off.send(query, callerAs(null)), off.send(query, callerAs(null))]));
      await answering(Promise.all([on.send(mutation, callerAs(null)), on.send(mutation, callerAs(null))]));
      expect(received).toHaveLength(4);
    } finally {
      await Promise.all([off.close(), on.close()]);
    }
  });

  it('retries a query on 503 and tells the observer of each attempt, retry and breaker change', async () => {
    const client = clientWith();
    try {
      status = 503;
      await expect(answering(client.send(query, callerAs(null)))).rejects.toMatchObject({
        message: 'Subgraph "products" responded with HTTP 503',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'products' },
      });
      expect(received).toHaveLength(3);
      // The third failure in a row opens the breaker; the next query fails fast.
      expect(events).toEqual([
        'breaker closed',
        'attempt SUBGRAPH_UNAVAILABLE',
        'retry',
        'attempt SUBGRAPH_UNAVAILABLE',
        'retry',
        'attempt SUBGRAPH_UNAVAILABLE',
        'breaker open',
      ]);
      await expect(client.send(query, callerAs(null))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      expect(received).toHaveLength(3);
    } finally {
      await client.close();
    }
  });

  it('never retries a mutation', async () => {
    const client = clientWith();
    try {
      status = 503;
      await expect(answering(client.send(mutation, callerAs(null)))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      expect(received).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('reports the breaker closed when it starts', () => {
    const client = clientWith();
    expect(events).toEqual(['breaker closed']);
    return client.close();
  });

  it('lets a caller leave a shared request while the others still get the answer', async () => {
    const client = clientWith();
    try {
      const leaving = new AbortController();
      const left = client.send(query, callerAs(null, leaving.signal));
      const staying = client.send(query, callerAs(null));
      await expect.poll(() => received.length).toBe(1);
      leaving.abort();
      await expect(left).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_ERROR', serviceName: 'products' } });
      release();
      expect(await staying).toEqual({ data: { ok: true } });
    } finally {
      await client.close();
    }
  });

  it('refuses an answer that is not a GraphQL response', async () => {
    const client = clientWith();
    try {
      body = '<html>';
      await expect(answering(client.send(query, callerAs(null)))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_ERROR', serviceName: 'products' } });
    } finally {
      await client.close();
    }
  });
});
