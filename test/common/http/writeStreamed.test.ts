import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeEventStream } from '../../../common/http/writeEventStream.js';
import { writeMultipartSubscription } from '../../../common/http/writeMultipartSubscription.js';
import { writeStreamed, type StreamEnd, type StreamFraming } from '../../../common/http/writeStreamed.js';

// The one writer of every streamed answer over HTTP (SSE, multipart subscriptions): heartbeats
// while nothing comes, one result at a time, and how it ended, for the metrics. A real socket,
// so that "the client does not read" is what it is.
let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A controllable stream of results: `push` one, `end` it; `returned` once `return()` was called. */
function controlled() {
  const waiting: ((result: IteratorResult<unknown>) => void)[] = [];
  const queued: IteratorResult<unknown>[] = [];
  let returned = false;
  const give = (result: IteratorResult<unknown>) => (waiting.length > 0 ? waiting.shift()!(result) : queued.push(result));
  const results: AsyncIterator<unknown> = {
    next: () => (queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    return: () => {
      returned = true;
      give({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  return { results, push: (value: unknown) => give({ value, done: false }), end: () => give({ value: undefined, done: true }), returned: () => returned };
}

/** Serves one request with `write`, and connects a raw client to it; `received()` is what it has read. */
async function serve(write: (res: ServerResponse) => Promise<StreamEnd>, options: { reads?: boolean } = {}) {
  let ended!: Promise<StreamEnd>;
  const started = new Promise<void>((resolve) => {
    server = createServer((_req, res) => {
      ended = write(res);
      resolve();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const socket = connect((server!.address() as AddressInfo).port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  // A client that does not read: its receive window, then the server's send buffer, fill up.
  if (options.reads === false) socket.pause();
  else socket.on('data', (chunk: Buffer) => void (received += chunk.toString('utf8')));
  socket.on('error', () => {});
  // HTTP/1.0: the body comes as written, not in chunks.
  socket.write('POST /graphql HTTP/1.0\r\nhost: localhost\r\ncontent-length: 0\r\n\r\n');
  await started;
  return { socket, received: () => received, ended: () => ended };
}

const framing = (overrides: Partial<StreamFraming> = {}): StreamFraming => ({
  opening: 'OPEN;',
  heartbeat: 'BEAT;',
  heartbeatMs: 20,
  item: (result) => `ITEM ${JSON.stringify(result)};`,
  closing: 'CLOSE;',
  ...overrides,
});

const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 5_000, interval: 10 });

/** `eventually` for a test that fakes setInterval (which vi.waitFor polls with): polls with setTimeout. */
async function polled(check: () => void): Promise<void> {
  for (let tries = 0; ; tries += 1) {
    try {
      return check();
    } catch (error) {
      if (tries >= 500) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe('writeStreamed', () => {
  it('opens at once, writes heartbeats while no result comes, each result as it comes, and the closing: complete', async () => {
    const source = controlled();
    const client = await serve((res) => {
      res.writeHead(200);
      return writeStreamed(res, source.results, framing());
    });
    await eventually(() => expect(client.received()).toMatch(/OPEN;(BEAT;){2,}/));
    source.push({ n: 1 });
    await eventually(() => expect(client.received()).toContain('ITEM {"n":1};'));
    source.end();
    expect(await client.ended()).toBe('complete');
    await eventually(() => expect(client.received()).toMatch(/CLOSE;$/));
  });

  it('ends the results when the client leaves, even while one is awaited: client', async () => {
    const source = controlled();
    const client = await serve((res) => {
      res.writeHead(200);
      return writeStreamed(res, source.results, framing());
    });
    await eventually(() => expect(client.received()).toContain('OPEN;'));
    client.socket.destroy();
    expect(await client.ended()).toBe('client');
    expect(source.returned()).toBe(true);
  });

  it('disconnects a client that leaves a written result untaken past stalledMs, and asks for no more: too_slow', async () => {
    const source = controlled();
    const big = 'x'.repeat(256 * 1024);
    let asked = 0;
    const counting: AsyncIterator<unknown> = {
      next: () => {
        asked += 1;
        return source.results.next();
      },
      return: () => source.results.return!(),
    };
    const client = await serve(
      (res) => {
        res.writeHead(200);
        return writeStreamed(res, counting, framing({ stalledMs: 200, heartbeatMs: 10 }));
      },
      { reads: false },
    );
    // Enough to fill the socket's buffers; the writer waits on each one the client has not taken.
    for (let i = 0; i < 64; i += 1) source.push(big);
    expect(await client.ended()).toBe('too_slow');
    expect(asked).toBeLessThan(64);
    expect(source.returned()).toBe(true);
  });

  it('ends a stream whose results fail without its closing: failed', async () => {
    const client = await serve((res) => {
      res.writeHead(200);
      return writeStreamed(res, { next: () => Promise.reject(new Error('a bug')) }, framing());
    });
    expect(await client.ended()).toBe('failed');
    await eventually(() => expect(client.socket.destroyed || client.socket.readableEnded).toBe(true));
    expect(client.received()).not.toContain('CLOSE;');
  });
});

describe('the framings', () => {
  it('SSE opens with a comment, keeps the stream alive with comments, and completes', async () => {
    const source = controlled();
    const client = await serve((res) => writeEventStream(res, source.results));
    await eventually(() => expect(client.received()).toContain('content-type: text/event-stream; charset=utf-8'));
    expect(client.received()).toContain('x-accel-buffering: no');
    expect(client.received()).toContain(':\n\n');
    source.push({ data: { n: 1 } });
    source.end();
    expect(await client.ended()).toBe('complete');
    await eventually(() => expect(client.received()).toContain('event: next\ndata: {"data":{"n":1}}\n\nevent: complete\n\n'));
  });

  it('multipart subscriptions open with the boundary, wrap each result as payload, and end with the closing boundary', async () => {
    const source = controlled();
    const client = await serve((res) => writeMultipartSubscription(res, source.results));
    await eventually(() => expect(client.received()).toContain('multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"'));
    source.push({ data: { n: 1 } });
    source.end();
    expect(await client.ended()).toBe('complete');
    await eventually(() => expect(client.received()).toContain('{"payload":{"data":{"n":1}}}\r\n--graphql--\r\n'));
  });

  it('keep idle streams alive for proxies: SSE a comment every 12 s, multipart subscriptions a {} part every 5 s', async () => {
    // Only the heartbeat's interval is faked: the sockets are real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const sse = controlled();
      const sseClient = await serve((res) => writeEventStream(res, sse.results));
      await polled(() => expect(sseClient.received()).toMatch(/\r\n\r\n:\n\n$/));
      vi.advanceTimersByTime(11_999);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sseClient.received()).toMatch(/\r\n\r\n:\n\n$/);
      vi.advanceTimersByTime(1);
      await polled(() => expect(sseClient.received()).toMatch(/\r\n\r\n:\n\n:\n\n$/));
      sse.end();
      await sseClient.ended();
      for (const socket of sockets.splice(0)) socket.destroy();
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));

      const multipart = controlled();
      const multipartClient = await serve((res) => writeMultipartSubscription(res, multipart.results));
      await polled(() => expect(multipartClient.received()).toMatch(/\r\n--graphql$/));
      vi.advanceTimersByTime(5_000);
      await polled(() =>
        expect(multipartClient.received()).toMatch(/\r\n--graphql\r\ncontent-type: application\/json; charset=utf-8\r\n\r\n\{\}\r\n--graphql$/),
      );
      multipart.end();
      await multipartClient.ended();
    } finally {
      vi.useRealTimers();
    }
  });
});
