import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createByteBudget, type ByteAccount } from '../../../common/http/createByteBudget.js';
import { HttpError } from '../../../common/http/HttpError.js';
import { readBody } from '../../../common/http/readBody.js';

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server whose handler reads the body once `wait` resolves; resolves with what the read gave. */
async function readWith(send: (socket: net.Socket) => void, wait: (req: http.IncomingMessage) => Promise<void>, budget?: ByteAccount) {
  let outcome!: Promise<unknown>;
  const handled = new Promise<void>((resolve) => {
    server = http.createServer((req) => {
      outcome = wait(req)
        .then(() => readBody(req, 1024, budget ? { budget } : {}))
        .catch((error: unknown) => error);
      resolve();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const socket = net.connect((server!.address() as AddressInfo).port, '127.0.0.1', () => send(socket));
  await handled;
  return outcome;
}

const head = 'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n';

it('reads a whole body', async () => {
  const body = '{"query":"{ a }"}';
  const result = await readWith(
    (socket) => socket.write(`POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n${body}`),
    async () => {},
  );
  expect(String(result)).toBe(body);
});

it('fails, instead of waiting for ever, when the client closes mid-body', async () => {
  const result = await readWith(
    (socket) => socket.end(`${head}{"query":`),
    async () => {},
  );
  expect(result).toBeInstanceOf(Error);
});

it('refuses with 400 BAD_REQUEST when the client had already gone before the read began', async () => {
  const result = await readWith(
    (socket) => socket.end(`${head}{"query":`),
    (req) => new Promise((resolve) => (req.destroyed ? resolve() : req.once('close', () => resolve()))),
  );
  expect(result).toBeInstanceOf(HttpError);
  expect(result).toMatchObject({ code: 'BAD_REQUEST', message: 'The connection closed before the whole request body arrived' });
});

it('refuses with 408 BODY_TIMEOUT a body still arriving when the timeout passes, however steadily it trickles', async () => {
  let outcome!: Promise<unknown>;
  const handled = new Promise<void>((resolve) => {
    server = http.createServer((req) => {
      outcome = readBody(req, 1024, { timeoutMs: 300 }).catch((error: unknown) => error);
      resolve();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const socket = net.connect((server!.address() as AddressInfo).port, '127.0.0.1', () => socket.write(head));
  // A byte every 50 ms: never idle, never done.
  const trickle = setInterval(() => socket.write('x'), 50);
  try {
    await handled;
    const result = await outcome;
    expect(result).toBeInstanceOf(HttpError);
    expect(result).toMatchObject({ code: 'BODY_TIMEOUT', status: 408, headers: { connection: 'close' } });
  } finally {
    clearInterval(trickle);
    socket.destroy();
  }
});

it('takes each chunk from a shared budget: refuses with 503 OVERLOADED past it and gives back what it took', async () => {
  const budget = createByteBudget(100);
  const others = budget.account('other clients');
  expect(others.take(90)).toBe(true);
  const refused = await readWith(
    (socket) => socket.write(`${head}${'x'.repeat(50)}`),
    async () => {},
    budget.account('client'),
  );
  expect(refused).toMatchObject({ code: 'OVERLOADED', status: 503, headers: { 'retry-after': '1', connection: 'close' } });
  expect(budget.used()).toBe(90);
  others.give(90);
  const body = '{"query":"{ a }"}';
  const read = await readWith(
    (socket) => socket.write(`POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n${body}`),
    async () => {},
    budget.account('client'),
  );
  expect(String(read)).toBe(body);
  // Now the caller's, until it gives them back.
  expect(budget.used()).toBe(body.length);
  expect(budget.usedBy('client')).toBe(body.length);
});

it('refuses a client past its share while the budget has room for others, and forgets a client that holds nothing', async () => {
  const budget = createByteBudget(100, 40);
  const greedy = budget.account('greedy');
  expect(greedy.take(40)).toBe(true);
  const refused = await readWith(
    (socket) => socket.write(`${head}${'x'.repeat(10)}`),
    async () => {},
    budget.account('greedy'),
  );
  expect(refused).toMatchObject({ code: 'OVERLOADED', status: 503 });
  expect(budget.usedBy('greedy')).toBe(40);
  const body = '{"query":"{ a }"}';
  const read = await readWith(
    (socket) => socket.write(`POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n${body}`),
    async () => {},
    budget.account('polite'),
  );
  expect(String(read)).toBe(body);
  greedy.give(40);
  expect(budget.usedBy('greedy')).toBe(0);
  expect(budget.used()).toBe(body.length);
});
