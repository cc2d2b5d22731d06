import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runEntryProcess, type EntryProcess } from '../support/runEntryProcess.js';
import { postSigned } from '../support/startStack.js';
import { testSigningSecret } from '../support/startSubgraphs.js';

// A REST backend whose answers never end: the subgraph (a real process, as deployed) must stop
// reading at its cap, close the connection, and answer the backend's failure, whatever the
// backend sends within the call's deadline.
const capBytes = 1024 * 1024;
// What the backend sends at most on one connection: enough to show the cap held, not so much
// that a subgraph without one would take the machine's memory.
const streamLimitBytes = 64 * 1024 * 1024;
const chunk = Buffer.alloc(1024 * 1024, 0x20);

let backend: Server;
let subgraph: EntryProcess;
let url: string;
// Per request to the backend: bytes written, and whether the connection closed before the end.
const streams: Array<{ sent: number; closedEarly: boolean }> = [];

beforeAll(async () => {
  backend = createServer((req, res) => {
    if (req.url === '/users?ids=2') {
      // Declares a gigabyte, sends a byte, and waits: refused from its content-length.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 ** 3) });
      res.write(' ');
      return;
    }
    const stream = { sent: 0, closedEarly: false };
    streams.push(stream);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.once('close', () => (stream.closedEarly = stream.sent < streamLimitBytes));
    const pump = () => {
      while (stream.sent < streamLimitBytes && !res.destroyed) {
        stream.sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('{"users":[]}');
    };
    pump();
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  subgraph = runEntryProcess('subgraphs/accounts/index.ts', [], {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PORTICO_SIGNING_SECRET: testSigningSecret,
    USERS_SERVICE_URL: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`,
    USERS_SERVICE_MAX_RESPONSE_BYTES: String(capBytes),
  });
  url = `http://127.0.0.1:${await subgraph.port}/graphql`;
}, 30_000);

afterAll(async () => {
  if (subgraph && subgraph.child.exitCode === null) {
    subgraph.child.kill('SIGTERM');
    await subgraph.exited;
  }
  backend?.closeAllConnections();
  await new Promise((resolve) => backend?.close(resolve));
});

function rssOf(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

describe('a REST backend that answers without end', () => {
  it('is cut off at USERS_SERVICE_MAX_RESPONSE_BYTES, not at the deadline, as the backend failing', async () => {
    const before = rssOf(subgraph.child.pid!);
    const replies = await Promise.all(Array.from({ length: 4 }, () => postSigned(url, '{ users(first: 3) { id } }', undefined, { audience: 'accounts' })));
    for (const reply of replies) {
      expect(reply.errors?.[0], JSON.stringify(reply)).toMatchObject({
        message: `The users service's answer is too large: over ${capBytes} bytes.`,
        extensions: { code: 'BACKEND_ERROR', backend: 'users' },
      });
    }
    // Cut off for its size (the message), not at the deadline (which would be BACKEND_TIMEOUT).
    expect(streams).toHaveLength(4);
    await vi.waitFor(() => expect(streams.map((stream) => stream.closedEarly)).toEqual([true, true, true, true]), { timeout: 2000 });
    expect(rssOf(subgraph.child.pid!) - before).toBeLessThan(48 * 1024 * 1024);
  });

  it('is refused from its content-length, before it is read', async () => {
    const reply = await postSigned(url, '{ user(id: "2") { id } }', undefined, { audience: 'accounts' });
    // Not BACKEND_TIMEOUT: refused on its declared length, with no body to wait for.
    expect(reply.errors?.[0]?.extensions).toMatchObject({ code: 'BACKEND_ERROR', backend: 'users' });
    expect(streams, 'the endless answers of the test before, only').toHaveLength(4);
  });
});
