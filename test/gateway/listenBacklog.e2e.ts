import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';

// Connections a client opens at once: more than Node's default backlog (511), fewer than the
// kernel's cap (net.core.somaxconn) and the gateway's default backlog.
const burst = 1200;
const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));

// A separate process opens `burst` TCP connections to PORT and prints how many the kernel completed
// within WINDOW ms: those are the ones the listening socket's backlog queued, since the server
// accepts none of them meanwhile (its event loop is blocked).
const connector = `
const net = require('node:net');
const [port, count, window] = process.argv.slice(1).map(Number);
let connected = 0;
const sockets = [];
process.stdout.write('go\\n');
for (let i = 0; i < count; i++) {
  const socket = net.connect(port, '127.0.0.1', () => (connected += 1));
  socket.on('error', () => {});
  sockets.push(socket);
}
setTimeout(() => {
  process.stdout.write(connected + '\\n');
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}, window);
`;

/**
 * How many of `burst` connections the kernel completes to `port` while the process listening on it
 * (this one) accepts nothing: its event loop is blocked from the moment the connector starts.
 */
async function queuedWhileBusy(port: number): Promise<number> {
  const windowMs = 2000;
  const child = spawn(process.execPath, ['-e', connector, String(port), String(burst), String(windowMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.startsWith('go\n')) resolve();
    }),
  );
  // Busy: nothing is accepted until the connector has counted.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, windowMs + 1000);
  await new Promise((resolve) => child.once('exit', resolve));
  return Number(output.split('\n')[1]);
}

describe('server.listenBacklog', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A burst from one address: the per-address connection cap is not what this measures.
    stack = await startStack({ config: { rateLimit: { enabled: false } } });
  }, 60_000);
  afterAll(() => stack?.close());

  it('queues a burst of connections larger than Node’s default backlog while the gateway is busy', async () => {
    expect(somaxconn).toBeGreaterThanOrEqual(burst);
    const port = Number(new URL(stack.url).port);
    expect(await queuedWhileBusy(port)).toBe(burst);
  }, 30_000);

  it('is what makes the difference: a server with Node’s default backlog queues at most 512 of them', async () => {
    const plain = http.createServer();
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      expect(await queuedWhileBusy((plain.address() as AddressInfo).port)).toBeLessThanOrEqual(512);
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  }, 30_000);
});
