import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamSink, UpstreamTarget } from '../../../gateway/subscriptions/OpenUpstream.js';
import { openHttpStreamUpstream } from '../../../gateway/subscriptions/openHttpStreamUpstream.js';

const target = (url: string): UpstreamTarget => ({
  subgraph: 'reviews',
  url,
  request: { query: 'subscription { reviewAdded { id } }', operationName: undefined, variables: {} },
  headers: {},
  requestId: 'r',
  signingSecret: 'secret-0123456789abcdef',
});

/** Opens an upstream and resolves with its one failure (or rejects on anything else). */
function failureOf(url: string): Promise<{ error: GraphQLError; subgraphFault: boolean }> {
  return new Promise((resolve, reject) => {
    const sink: UpstreamSink = {
      connected: () => {},
      next: () => reject(new Error('unexpected event')),
      complete: () => reject(new Error('unexpected complete')),
      fail: (error, subgraphFault) => resolve({ error, subgraphFault }),
    };
    openHttpStreamUpstream('sse')(target(url), sink);
  });
}

// Answers a subscription with one JSON refusal: small, or far past the bound on what is read of one.
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const error = { message: 'refused here', extensions: { code: 'FORBIDDEN' } };
    if (req.url === '/small') return res.end(JSON.stringify({ errors: [error] }));
    res.end(JSON.stringify({ errors: [error], padding: 'x'.repeat(1024 * 1024) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('openHttpStreamUpstream', () => {
  it('fails the upstream (not the process) when it cannot even be opened: a bad URL', async () => {
    const { error, subgraphFault } = await failureOf('not a url');
    expect(subgraphFault).toBe(false);
    expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it("passes on a subgraph's JSON refusal, never retried", async () => {
    const { error, subgraphFault } = await failureOf(`${base}/small`);
    expect(subgraphFault).toBe(false);
    expect(error.message).toBe('refused here');
    expect(error.extensions.code).toBe('FORBIDDEN');
  });

  it('reads no more of a JSON refusal than its bound (64 KiB): its errors are then unknown', async () => {
    const { error, subgraphFault } = await failureOf(`${base}/large`);
    expect(subgraphFault).toBe(false);
    expect(error.message).not.toBe('refused here');
    expect(error.extensions.code).toBe('SUBGRAPH_ERROR');
  });
});
