import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySignedHeaders } from '../../../common/signing/verifySignature.js';
import type { CancelSignal } from '../../../gateway/resilience/Cancellation.js';
import { createSubgraphSender, type Attempt, type AttemptOutcome, type SubgraphSender } from '../../../gateway/subgraphRequests/createSubgraphSender.js';

// The send layer against a real HTTP server on port 0, which answers as each test tells it.
interface Received {
  headers: IncomingMessage['headers'];
  path: string;
  body: string;
}
let server: Server;
let url: string;
let received: Received[] = [];
let answer: (res: ServerResponse) => void;
const secret = 'sender-test-signing-secret-0123456';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, path: req.url ?? '', body });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql?x=1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":true}}');
});

const attempts: { durationMs: number; outcome: string }[] = [];
function senderWith(overrides: { url?: string; timeoutMs?: number; maxResponseBytes?: number } = {}): SubgraphSender {
  attempts.length = 0;
  return createSubgraphSender({
    name: 'products',
    url: overrides.url ?? url,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxResponseBytes: overrides.maxResponseBytes ?? 1024 * 1024,
    maxConnections: 2,
    signingSecret: secret,
    onAttempt: (durationMs, outcome) => attempts.push({ durationMs, outcome }),
  });
}
const attemptOf = (overrides: Partial<Attempt> = {}): Attempt => ({
  body: '{"query":"{ ok }"}',
  headers: { 'x-passed-on': 'yes' },
  requestId: 'req-1',
  deadlineAt: Date.now() + 10_000,
  traceparent: undefined,
  signal: undefined,
  ...overrides,
});
async function sendWith(sender: SubgraphSender, attempt: Attempt): Promise<AttemptOutcome> {
  try {
    return await sender.send(attempt);
  } finally {
    await sender.close();
  }
}
/**
 * Answers with `status` and a body that never ends (as far as the sender can tell: past `cap`
 * bytes it stops writing but keeps the connection open, so that a sender that reads on waits
 * for its timeout rather than filling this process's memory). `stream.written` counts the bytes
 * written until the connection closed, `stream.closed` says whether it has.
 */
function endlessAnswer(status: number, cap = 64 * 1024 * 1024) {
  const stream = { written: 0, closed: false };
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const respond = (res: ServerResponse) => {
    res.on('close', () => (stream.closed = true));
    res.writeHead(status, { 'content-type': 'application/json' });
    res.write('{"data":');
    const pump = () => {
      while (!stream.closed && stream.written < cap) {
        stream.written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  };
  return { stream, respond };
}

const failureOf = (outcome: AttemptOutcome) => {
  if (outcome.ok) throw new Error('expected a failure');
  return {
    code: outcome.failure.error.extensions.code,
    serviceName: outcome.failure.error.extensions.serviceName,
    retryable: outcome.failure.retryable,
    health: outcome.failure.health,
  };
};

describe('the send layer of a subgraph client', () => {
  it('posts the body, signed over the exact bytes and headers that leave, with the caller headers and the time left', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const outcome = await sendWith(senderWith(), attemptOf({ traceparent }));
    expect(outcome).toEqual({ ok: true, raw: '{"data":{"ok":true}}' });
    const [request] = received;
    expect(request?.path).toBe('/graphql?x=1');
    expect(request?.body).toBe('{"query":"{ ok }"}');
    expect(request?.headers).toMatchObject({ 'x-passed-on': 'yes', 'x-request-id': 'req-1', 'content-type': 'application/json', traceparent });
    const deadline = Number(request?.headers['x-portico-deadline-ms']);
    expect(deadline).toBeGreaterThan(0);
    expect(deadline).toBeLessThanOrEqual(5_000);
    const verdict = verifySignedHeaders({ secret, method: 'POST', path: '/graphql?x=1', audience: 'products', headers: request!.headers, maxAgeMs: 60_000 });
    expect(verdict.ok).toBe(true);
    expect(verifySignedHeaders({ secret, method: 'POST', path: '/graphql?x=1', audience: 'accounts', headers: request!.headers, maxAgeMs: 60_000 }).ok).toBe(
      false,
    );
    expect(attempts.map(({ outcome }) => outcome)).toEqual(['success']);
  });

  it('reads an answer that arrives in pieces as one text, multi-byte characters split across them intact, without a byte order mark', async () => {
    const text = `{"data":{"body":"${'é漢🙂'.repeat(3000)}"}}`;
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Cut inside a character: the pieces are joined as bytes before they are decoded.
      res.write(bytes.subarray(0, 4));
      setTimeout(() => res.end(bytes.subarray(4)), 20);
    };
    expect(await sendWith(senderWith(), attemptOf())).toEqual({ ok: true, raw: text });
  });

  it('lets no caller header set the request id, deadline or signature', async () => {
    const headers = {
      'x-request-id': 'forged',
      'x-portico-deadline-ms': '999999',
      'x-portico-signature': 'forged',
      'x-portico-nonce': 'forged-forged-forged',
      'content-type': 'text/plain',
      accept: 'text/html',
      traceparent: 'forged',
    };
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await sendWith(senderWith(), attemptOf({ headers, traceparent }));
    const sent = received[0]!.headers;
    // Each once (Node joins a repeated header with ", "), with Portico's value.
    expect(sent['x-request-id']).toBe('req-1');
    expect(Number(sent['x-portico-deadline-ms'])).toBeLessThanOrEqual(5_000);
    expect(sent['x-portico-signature']).not.toBe('forged');
    expect(sent['x-portico-nonce']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sent['content-type']).toBe('application/json');
    expect(sent.accept).toBe('application/json');
    expect(sent.traceparent).toBe(traceparent);
    expect(verifySignedHeaders({ secret, method: 'POST', path: '/graphql?x=1', audience: 'products', headers: sent, maxAgeMs: 60_000 }).ok).toBe(true);
  });

  it("passes on a caller's traceparent when it has none of its own", async () => {
    await sendWith(senderWith(), attemptOf({ headers: { traceparent: 'from-a-header-rule' } }));
    expect(received[0]!.headers.traceparent).toBe('from-a-header-rule');
  });

  it('classifies a 5xx as the subgraph unwell and worth a retry, a 4xx as neither', async () => {
    answer = (res) => res.writeHead(503).end('busy');
    expect(failureOf(await sendWith(senderWith(), attemptOf()))).toEqual({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'products',
      retryable: true,
      health: 'unhealthy',
    });
    expect(attempts.map(({ outcome }) => outcome)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    answer = (res) => res.writeHead(403).end();
    expect(failureOf(await sendWith(senderWith(), attemptOf()))).toEqual({ code: 'FORBIDDEN', serviceName: 'products', retryable: false, health: 'healthy' });
  });

  it('gives up on a subgraph slower than its timeout, and blames it', async () => {
    answer = () => {}; // never answers
    expect(failureOf(await sendWith(senderWith({ timeoutMs: 50 }), attemptOf()))).toEqual({
      code: 'SUBGRAPH_TIMEOUT',
      serviceName: 'products',
      retryable: false,
      health: 'unhealthy',
    });
  });

  it('bounds an attempt by what is left of the request, and then does not blame the subgraph', async () => {
    answer = () => {};
    const outcome = await sendWith(senderWith({ timeoutMs: 60_000 }), attemptOf({ deadlineAt: Date.now() + 100 }));
    expect(failureOf(outcome)).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'products', retryable: false, health: 'unknown' });
    expect(Number(received[0]!.headers['x-portico-deadline-ms'])).toBeLessThanOrEqual(100);
  });

  it('ends an attempt still queued for a connection at its deadline, not when a connection frees up', async () => {
    const held: ServerResponse[] = [];
    answer = (res) => held.push(res);
    const sender = senderWith({ timeoutMs: 60_000 });
    try {
      // Both of the pool's connections (maxConnections: 2) are taken by attempts that wait.
      const waiting = [sender.send(attemptOf()), sender.send(attemptOf())];
      await expect.poll(() => received.length).toBe(2);
      const queued = await sender.send(attemptOf({ deadlineAt: Date.now() + 100 }));
      expect(failureOf(queued)).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'products', retryable: false, health: 'unknown' });
      for (const res of held) res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":true}}');
      expect((await Promise.all(waiting)).map((outcome) => outcome.ok)).toEqual([true, true]);
      // The queued request never reached the subgraph after its attempt ended.
      expect(received).toHaveLength(2);
    } finally {
      await sender.close();
    }
  });

  it('makes no attempt once the request deadline has passed', async () => {
    const outcome = await sendWith(senderWith(), attemptOf({ deadlineAt: Date.now() - 1 }));
    expect(failureOf(outcome)).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'products', retryable: false, health: 'unknown' });
    expect(received).toEqual([]);
    expect(attempts).toEqual([]);
  });

  it('stops when the caller goes away, without blaming the subgraph', async () => {
    answer = () => {};
    const controller = new AbortController();
    const sender = senderWith();
    const pending = sendWith(sender, attemptOf({ signal: controller.signal }));
    await expect.poll(() => received.length).toBe(1);
    controller.abort();
    expect(failureOf(await pending)).toEqual({ code: 'SUBGRAPH_ERROR', serviceName: 'products', retryable: false, health: 'unknown' });
    const already = new AbortController();
    already.abort();
    expect(failureOf(await sendWith(senderWith(), attemptOf({ signal: already.signal })))).toMatchObject({ health: 'unknown' });
    expect(received).toHaveLength(1);
  });

  // A closure assigned to a property is made in V8's old generation: one made per attempt (its
  // context holding the collector) kept every attempt's objects alive through young-generation
  // collections.
  it("listens to the caller's signal with no function made per attempt, and stops listening once answered", async () => {
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const signal: CancelSignal = {
      aborted: false,
      reason: undefined,
      addEventListener: (_type, listener) => added.push(listener),
      removeEventListener: (_type, listener) => removed.push(listener),
    };
    expect((await sendWith(senderWith(), attemptOf({ signal }))).ok).toBe(true);
    expect(added).toHaveLength(1);
    expect(typeof added[0]).toBe('object');
    expect(removed).toEqual(added);
  });

  it('reports a subgraph it cannot reach as unavailable, worth a retry', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(failureOf(await sendWith(senderWith({ url: `http://127.0.0.1:${port}/graphql` }), attemptOf()))).toEqual({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'products',
      retryable: true,
      health: 'unhealthy',
    });
  });

  it('blames the gateway, not the subgraph, for a header it cannot send', async () => {
    const outcome = await sendWith(senderWith(), attemptOf({ headers: { 'x-bad': 'line\nbreak' } }));
    expect(failureOf(outcome)).toEqual({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'products', retryable: false, health: 'unknown' });
    expect(received).toEqual([]);
  });

  describe('an answer over maxResponseBytes', () => {
    // Not the subgraph's health: a caller's operation decides how large an answer is.
    const overTheLimit = { code: 'SUBGRAPH_ERROR', serviceName: 'products', retryable: false, health: 'unknown' };

    it('is cut off once its bytes pass the limit: the connection is closed and nothing more read', async () => {
      const { stream, respond } = endlessAnswer(200);
      answer = respond;
      const outcome = await sendWith(senderWith({ maxResponseBytes: 1024 * 1024, timeoutMs: 20_000 }), attemptOf());
      expect(failureOf(outcome)).toEqual(overTheLimit);
      expect(outcome.ok || outcome.failure.error.message).toBe(`Subgraph "products" sent an answer over the gateway's size limit`);
      // At the limit, not at the attempt's timeout (which would be SUBGRAPH_TIMEOUT).
      expect(attempts.map(({ outcome }) => outcome)).toEqual(['SUBGRAPH_ERROR']);
      await expect.poll(() => stream.closed).toBe(true);
      // What the server got written before the close: the limit and the sockets' buffers, far
      // from the 64 MiB it would have sent a reader that read on.
      expect(stream.written).toBeLessThan(16 * 1024 * 1024);
    });

    it('is refused on its content-length, before any of its body is read', async () => {
      let closed = false;
      answer = (res) => {
        res.on('close', () => (closed = true));
        // Headers only: a sender that waited for the body would wait for its timeout.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) }).flushHeaders();
      };
      // A sender that waited for the body would fail with SUBGRAPH_TIMEOUT instead.
      expect(failureOf(await sendWith(senderWith({ maxResponseBytes: 1024 * 1024, timeoutMs: 20_000 }), attemptOf()))).toEqual(overTheLimit);
      await expect.poll(() => closed).toBe(true);
    });

    it('is cut off whatever its status: a 5xx with an endless body too', async () => {
      const { stream, respond } = endlessAnswer(500);
      answer = respond;
      expect(failureOf(await sendWith(senderWith({ maxResponseBytes: 1024 * 1024, timeoutMs: 20_000 }), attemptOf()))).toEqual(overTheLimit);
      await expect.poll(() => stream.closed).toBe(true);
      expect(stream.written).toBeLessThan(16 * 1024 * 1024);
    });

    it('is read when it is exactly the limit, declared or not', async () => {
      const text = `{"data":{"s":"${'x'.repeat(1000 - 17)}"}}`;
      expect(Buffer.byteLength(text)).toBe(1000);
      answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(text);
      expect(await sendWith(senderWith({ maxResponseBytes: 1000 }), attemptOf())).toEqual({ ok: true, raw: text });
      answer = (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(text.slice(0, 500));
        setTimeout(() => res.end(text.slice(500)), 10);
      };
      expect(await sendWith(senderWith({ maxResponseBytes: 1000 }), attemptOf())).toEqual({ ok: true, raw: text });
      answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`${text} `);
      expect(failureOf(await sendWith(senderWith({ maxResponseBytes: 1000 }), attemptOf()))).toEqual(overTheLimit);
    });
  });
});
