import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayConfig } from '../../../gateway/config/GatewayConfig.js';
import { firstRequestWaitMs, serving } from '../../../gateway/runtime/serving.js';

// heapGrowthPercent 0: V8's own factor, which this test process has anyway.
const config = { server: { graphqlPath: '/graphql', heapGrowthPercent: 0 } } as GatewayConfig;

let server: http.Server;
// (A server a test closed itself calls back at once, with an error this ignores.)
afterEach(() => new Promise<void>((done) => server.close(() => done())));

async function listening(): Promise<string> {
  // `?status=N` answers with that status, as a refusal would.
  server = http.createServer((req, res) => {
    res.statusCode = Number(new URL(req.url ?? '/', 'http://test.invalid').searchParams.get('status') ?? 200);
    res.end('answer');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('serving', () => {
  it('writes the code cache after the first answer on the GraphQL path, not at listen nor for other paths, and once', async () => {
    const url = await listening();
    const calls: string[] = [];
    serving(config, () => calls.push('onServing'), server);
    expect(calls).toEqual([]);
    // A probe of /ready runs none of the operation path: no reason to write the cache yet.
    expect(await (await fetch(`${url}/ready`)).text()).toBe('answer');
    await new Promise((done) => setTimeout(done, 20));
    expect(calls).toEqual([]);
    const answer = await fetch(`${url}/graphql`, { method: 'POST', body: '{}' });
    // The client has its answer first.
    expect(await answer.text()).toBe('answer');
    await new Promise((done) => setTimeout(done, 20));
    expect(calls).toEqual(['onServing']);
    await fetch(`${url}/graphql`, { method: 'POST', body: '{}' });
    await new Promise((done) => setTimeout(done, 20));
    expect(calls).toEqual(['onServing']);
    expect(server.listenerCount('request')).toBe(1);
  });

  it('counts only a successful answer on exactly the GraphQL path: not a 404 for /graphqlx, a refusal, nor a preflight', async () => {
    const url = await listening();
    const calls: string[] = [];
    serving(config, () => calls.push('onServing'), server);
    const settled = () => new Promise((done) => setTimeout(done, 20));
    for (const path of ['/graphqlx', '/graphql/x', '/graphql?status=400', '/graphql?status=429', '/graphql?status=503']) {
      await (await fetch(`${url}${path}`, { method: 'POST', body: '{}' })).text();
    }
    await (await fetch(`${url}/graphql`, { method: 'OPTIONS' })).text();
    await settled();
    expect(calls).toEqual([]);
    await (await fetch(`${url}/graphql?query=%7B__typename%7D`)).text();
    await settled();
    expect(calls).toEqual(['onServing']);
  });

  it('does nothing once the server has closed, its timer cleared', async () => {
    await listening();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const calls: string[] = [];
      serving(config, () => calls.push('onServing'), server);
      await new Promise<void>((done) => server.close(() => done()));
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(firstRequestWaitMs);
      expect(calls).toEqual([]);
      // Only the server's own handler is left.
      expect(server.listenerCount('request')).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes it anyway when no GraphQL request comes for a while (a gateway nobody calls yet)', async () => {
    await listening();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const calls: string[] = [];
      serving(config, () => calls.push('onServing'), server);
      vi.advanceTimersByTime(firstRequestWaitMs - 1);
      expect(calls).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(calls).toEqual(['onServing']);
      expect(server.listenerCount('request')).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
