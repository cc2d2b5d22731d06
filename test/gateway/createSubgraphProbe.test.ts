import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphProbe } from '../../gateway/health/createSubgraphProbe.js';

// The readiness probe against a real HTTP server on port 0, which answers as each test tells it.
let server: Server;
let url: string;
let answer: (res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const probe = async (timeoutMs = 5_000) => {
  const [result] = await createSubgraphProbe(() => [{ name: 'products', url }], { timeoutMs, signingSecret: 'probe-test-signing-secret-0123456' })();
  return result!.state;
};

describe('createSubgraphProbe', () => {
  it('reports a subgraph that answers `{ __typename }` reachable, and one that answers anything else not', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"__typename":"Query"}}');
    expect(await probe()).toBe('reachable');
    answer = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    expect(await probe()).toBe('answered HTTP 200 without a GraphQL result');
  });

  it('stops reading an answer past 64 KiB, and closes its connection, rather than holding whatever the subgraph streams', async () => {
    let written = 0;
    let closed = false;
    answer = (res) => {
      res.on('close', () => (closed = true));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":{"__typename":"Query"');
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // Endless to the probe; past 64 MiB it stops writing (the connection stays open), so that a
      // probe that read on would wait for its timeout rather than fill this process's memory.
      const pump = () => {
        while (!closed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    };
    // Without a bound the probe reads on until its 20 s deadline, and says it timed out instead.
    expect(await probe(20_000)).toBe('answered HTTP 200 without a GraphQL result');
    await expect.poll(() => closed).toBe(true);
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses an answer on its content-length, before reading it', async () => {
    let closed = false;
    answer = (res) => {
      res.on('close', () => (closed = true));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 * 1024) }).flushHeaders();
    };
    // Without a bound the probe reads on until its 20 s deadline, and says it timed out instead.
    expect(await probe(20_000)).toBe('answered HTTP 200 without a GraphQL result');
    await expect.poll(() => closed).toBe(true);
  });
});
