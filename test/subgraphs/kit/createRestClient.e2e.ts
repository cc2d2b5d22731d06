import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestClient, defaultMaxResponseBytes, type RestClient } from '../../../subgraphs/kit/rest/createRestClient.js';

let server: Server;
let client: RestClient;
let baseUrl: string;
const seenHeaders: IncomingHttpHeaders[] = [];
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = createServer((req, res) => {
    seenHeaders.push(req.headers);
    sockets.add(req.socket);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case '/api/items/1':
        return json(200, { id: '1' });
      case '/api/items/missing':
        return json(404, { error: { code: 'NOT_FOUND', message: 'No item "missing".' } });
      case '/api/items/bad':
        return json(400, { error: { code: 'BAD_REQUEST', message: 'ids: at most 100.' } });
      case '/api/items/boom':
        return json(500, { error: { message: 'NullPointerException at Repo.java:42' } });
      case '/api/items/garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{not json');
      case '/api/items/slow':
        return; // never answers
      case '/api/items/padded':
        // 1,000 bytes of JSON, sent in chunks, without a length.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(' '.repeat(500));
        return res.end(`{"id":"p"}${' '.repeat(490)}`);
      case '/api/items/declared':
        // Declares more than it will ever send, and waits.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1001' });
        return res.write(' ');
      default:
        if (req.method === 'POST') {
          let body = '';
          req.on('data', (chunk) => (body += chunk));
          req.on('end', () => json(201, { received: JSON.parse(body) }));
          return;
        }
        return json(404, {});
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  client = createRestClient({ backend: 'items', baseUrl, timeoutMs: 300 });
});

afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function codeOf(call: Promise<unknown>) {
  const error = (await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as { message: string; extensions: Record<string, unknown> };
  expect(error, 'the call should have failed').toBeDefined();
  return { code: error.extensions.code, backend: error.extensions.backend, message: error.message };
}

describe('createRestClient', () => {
  it('parses a JSON answer, under the base URL path, sending the request id', async () => {
    expect(await client.get('/items/1', { requestId: 'req-42' })).toEqual({ id: '1' });
    expect(seenHeaders.at(-1)?.['x-request-id']).toBe('req-42');
  });

  it('refuses to send a URL longer than maxUrlBytes, with BAD_USER_INPUT naming the backend, before sending anything', async () => {
    const before = seenHeaders.length;
    const id = 'x'.repeat(1024 * 1024);
    const refused = await codeOf(client.get(`/items/${encodeURIComponent(id)}`));
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.backend).toBe('items');
    expect(refused.message).toMatch(/would need a URL of 1048587 bytes; at most 8192 are sent/);
    // Just under the limit still goes out.
    const small = createRestClient({ backend: 'items', baseUrl, maxUrlBytes: 12 });
    try {
      expect(await small.get('/items/1')).toEqual({ id: '1' });
      expect((await codeOf(small.get('/items/12'))).code).toBe('BAD_USER_INPUT');
    } finally {
      await small.close();
    }
    expect(seenHeaders.length).toBe(before + 1);
  });

  it('posts JSON', async () => {
    expect(await client.post('/items', { name: 'x' })).toEqual({ received: { name: 'x' } });
    expect(seenHeaders.at(-1)?.['content-type']).toBe('application/json');
  });

  it('turns a 404 into NOT_FOUND with the backend reason', async () => {
    expect(await codeOf(client.get('/items/missing'))).toEqual({ code: 'NOT_FOUND', backend: 'items', message: 'No item "missing".' });
  });

  it('turns a 400 into BAD_USER_INPUT with the backend reason', async () => {
    expect(await codeOf(client.get('/items/bad'))).toMatchObject({ code: 'BAD_USER_INPUT', message: 'ids: at most 100.' });
  });

  it('turns a 500 into BACKEND_ERROR without the backend internals', async () => {
    const failure = await codeOf(client.get('/items/boom'));
    expect(failure).toEqual({ code: 'BACKEND_ERROR', backend: 'items', message: 'The items service failed with HTTP 500.' });
  });

  it('turns invalid JSON into BACKEND_ERROR', async () => {
    expect(await codeOf(client.get('/items/garbage'))).toMatchObject({ code: 'BACKEND_ERROR' });
  });

  it('gives up at the deadline with BACKEND_TIMEOUT', async () => {
    expect(await codeOf(client.get('/items/slow'))).toMatchObject({ code: 'BACKEND_TIMEOUT', message: 'The items service did not answer within 300 ms.' });
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const call = client.get('/items/slow', { signal: controller.signal });
    controller.abort();
    expect(await codeOf(call)).toMatchObject({ code: 'BACKEND_TIMEOUT', message: 'The call to the items service was cancelled.' });
  });

  it('reuses keep-alive connections', async () => {
    const fresh = createRestClient({ backend: 'items', baseUrl });
    sockets.clear();
    for (let index = 0; index < 20; index += 1) await fresh.get('/items/1');
    // undici may open a second socket while the first is being released; never one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
    await fresh.close();
  });

  it("ends the call at the caller's deadline when that comes first", async () => {
    const failure = (await codeOf(client.get('/items/slow', { deadlineAt: Date.now() + 100 }))) as { code: string; message: string };
    expect(failure.code).toBe('BACKEND_TIMEOUT');
    const allowed = Number(/within (\d+) ms/.exec(failure.message)?.[1]);
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThanOrEqual(100);
  });

  it("reads an answer up to maxResponseBytes (8 MiB by default), and fails a larger one as the backend's BACKEND_ERROR", async () => {
    expect(defaultMaxResponseBytes).toBe(8 * 1024 * 1024);
    const capped = (maxResponseBytes: number) => createRestClient({ backend: 'items', baseUrl, maxResponseBytes, timeoutMs: 2000 });
    const exact = capped(1000);
    const under = capped(999);
    try {
      expect(await exact.get('/items/padded')).toEqual({ id: 'p' });
      expect(await codeOf(under.get('/items/padded'))).toEqual({
        code: 'BACKEND_ERROR',
        backend: 'items',
        message: "The items service's answer is too large: over 999 bytes.",
      });
      // From its content-length, with no body to wait for: too large, not BACKEND_TIMEOUT.
      expect(await codeOf(exact.get('/items/declared'))).toMatchObject({ code: 'BACKEND_ERROR', message: expect.stringContaining('too large') });
    } finally {
      await exact.close();
      await under.close();
    }
  });

  it('reports an unreachable backend as BACKEND_UNAVAILABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const dead = createRestClient({ backend: 'dead', baseUrl: `http://127.0.0.1:${port}` });
    expect(await codeOf(dead.get('/x'))).toEqual({ code: 'BACKEND_UNAVAILABLE', backend: 'dead', message: 'The dead service is unreachable.' });
    await dead.close();
  });
});
