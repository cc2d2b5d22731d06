import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServing } from './support/expectRefused.js';
import { openGraphQLSocket, type GraphQLSocket, type SocketOutcome } from './support/openGraphQLSocket.js';
import { startTarget, type Target } from './support/startTarget.js';

// GraphQL over WebSocket against a real gateway process: what no graphql-ws client sends.
// Small limits, so that an attack that got past one would show at once.
const PER_ADDRESS = 40;
const PER_CONNECTION = 8;
const MAX_MESSAGE_BYTES = 16_384;
const config = {
  server: {
    websocket: {
      maxConnectionsPerAddress: PER_ADDRESS,
      maxSubscriptionsPerConnection: PER_CONNECTION,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      connectionInitTimeoutMs: 1000,
      pingIntervalMs: 1000,
      idleTimeoutMs: 60_000,
    },
  },
  // The floods below come from one address on purpose; the per-address rate limit is another file's subject.
  rateLimit: { enabled: false },
};
const MiB = 2 ** 20;
// Codes a client's own mistakes may close a socket with: never 4500 (the gateway's bug).
const CLIENT_MISTAKES = [4400, 4401, 4403, 4409, 4429, 1009];

let target: Target;
let rssBefore: number;

beforeAll(async () => {
  target = await startTarget({ mode: 'production', config });
  rssBefore = target.rssBytes();
}, 90_000);

afterAll(async () => {
  await target?.close();
});

async function open(localAddress?: string): Promise<GraphQLSocket> {
  const outcome = await openGraphQLSocket(target, localAddress ? { localAddress } : {});
  if (!('open' in outcome)) throw new Error(`refused ${outcome.status}: ${outcome.body}`);
  return outcome.open;
}

/** Another client, on another address: its own connection and operation still work. */
async function expectAnotherClientServed(): Promise<void> {
  await expectStillServing(target);
  const client = await open('127.0.0.9');
  await client.init();
  client.socket.send(JSON.stringify({ type: 'subscribe', id: 'ok', payload: { query: '{ topProducts(first: 1) { upc } }' } }));
  expect(await client.waitFor((message) => message.id === 'ok' && message.type === 'complete')).toBe(true);
  expect(client.messages).toContainEqual({ id: 'ok', type: 'next', payload: { data: { topProducts: [{ upc: expect.any(String) }] } } });
  client.socket.close();
}

describe('generated messages', () => {
  it('get an answer or a close with a client-mistake code, never a crash or 4500', async () => {
    const message = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc
        .record({
          type: fc.constantFrom('connection_init', 'ping', 'pong', 'subscribe', 'complete', 'next', 'error', 'connection_ack', '__proto__', 'constructor'),
          id: fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('__proto__', 'constructor', 'toString', ''), fc.integer(), fc.constant(null)),
          payload: fc.oneof(
            fc.anything({ maxDepth: 3 }),
            fc.record({
              query: fc.oneof(fc.string({ maxLength: 100 }), fc.constant('{ topProducts(first: 1) { upc } }')),
              variables: fc.anything({ maxDepth: 2 }),
            }),
          ),
        })
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(message, async (text) => {
        const client = await open('127.0.0.2');
        await client.init();
        client.socket.send(text);
        client.socket.send(JSON.stringify({ type: 'ping' }));
        const ponged = await client.waitFor((reply) => reply.type === 'pong');
        if (!ponged) expect(CLIENT_MISTAKES, text).toContain((await client.closed).code);
        client.socket.close();
        await client.closed;
      }),
      { numRuns: 60 },
    );
    await expectAnotherClientServed();
  });

  it('a persisted document by hash alone (no query, or the empty one graphql-ws sends) with a bad hash gets an error message with a code', async () => {
    const persistedQuery = fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.record({
        version: fc.oneof(fc.constant(1), fc.integer(), fc.string({ maxLength: 4 })),
        sha256Hash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ maxLength: 80 }), fc.constantFrom('__proto__', 'constructor'), fc.integer()),
      }),
    );
    const payload = fc.record(
      { query: fc.constant(''), operationName: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('__proto__')), extensions: fc.record({ persistedQuery }) },
      { requiredKeys: ['extensions'] },
    );
    await fc.assert(
      fc.asyncProperty(payload, async (value) => {
        const client = await open('127.0.0.3');
        await client.init();
        client.socket.send(JSON.stringify({ type: 'subscribe', id: 'p', payload: value }));
        expect(await client.waitFor((message) => message.id === 'p' && message.type !== 'next')).toBe(true);
        const answer = (client.messages as Array<Record<string, unknown>>).find((message) => message.id === 'p')!;
        expect(answer.type, JSON.stringify(value)).toBe('error');
        expect((answer.payload as Array<{ extensions?: { code?: unknown } }>)[0]!.extensions?.code).toEqual(expect.any(String));
        client.socket.close();
        await client.closed;
      }),
      { numRuns: 40 },
    );
    await expectAnotherClientServed();
  });
});

describe('frames', () => {
  it('a giant frame closes its socket with 1009 before it is read, and costs no memory', async () => {
    const client = await open('127.0.0.3');
    await client.init();
    client.socket.send(Buffer.alloc(64 * MiB, 'x'), { binary: false });
    const close = await client.closed;
    // 1009 when the close frame arrives; 1006 when the gateway's close cut the sender's 64 MiB short first.
    expect([1009, 1006]).toContain(close.code);
    expect(target.rssBytes() - rssBefore).toBeLessThan(128 * MiB);
    await expectAnotherClientServed();
  });

  it('binary and garbage frames close with 4400', async () => {
    for (const frame of [
      Buffer.from([0xff, 0x00, 0x13, 0x37]),
      Buffer.from('{"type":"connection_init"'),
      Buffer.from('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'),
    ]) {
      const client = await open('127.0.0.3');
      client.socket.send(frame);
      expect((await client.closed).code).toBe(4400);
    }
    await expectAnotherClientServed();
  });
});

describe('floods', () => {
  it('thousands of subscribe messages on one connection: each is answered, at most maxSubscriptionsPerConnection run at once', async () => {
    const client = await open('127.0.0.4');
    await client.init();
    const count = 2000;
    for (let i = 0; i < count; i++) {
      client.socket.send(JSON.stringify({ type: 'subscribe', id: `op${i}`, payload: { query: '{ topProducts(first: 1) { upc } }' } }));
    }
    const isEnd = (message: unknown) => typeof message === 'object' && message !== null && ['complete', 'error'].includes((message as { type: string }).type);
    let ended = 0;
    client.socket.on('message', (data) => {
      if (isEnd(JSON.parse(String(data)))) ended += 1;
    });
    while (ended < count && client.socket.readyState === client.socket.OPEN) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.socket.readyState, JSON.stringify(client.socket.readyState === client.socket.CLOSED ? await client.closed : null)).toBe(client.socket.OPEN);
    const errors = client.messages.filter((message) => (message as { type: string }).type === 'error') as { payload: { extensions: { code: string } }[] }[];
    for (const error of errors) expect(error.payload[0]!.extensions.code).toBe('RATE_LIMITED');
    expect(client.messages.filter(isEnd)).toHaveLength(count);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.socket.close();
    await expectAnotherClientServed();
  }, 120_000);

  it('thousands of connections from one address: past maxConnectionsPerAddress each is refused with 429, memory bounded', async () => {
    const outcomes: SocketOutcome[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const outcomesOfBatch = await Promise.all(Array.from({ length: 100 }, () => openGraphQLSocket(target, { localAddress: '127.0.0.5' })));
      // Initialised, so that connectionInitTimeoutMs does not free their places meanwhile.
      await Promise.all(outcomesOfBatch.map((outcome) => ('open' in outcome ? outcome.open.init() : undefined)));
      outcomes.push(...outcomesOfBatch);
    }
    const opened = outcomes.flatMap((outcome) => ('open' in outcome ? [outcome.open] : []));
    const refused = outcomes.flatMap((outcome) => ('open' in outcome ? [] : [outcome]));
    expect(opened.length).toBe(PER_ADDRESS);
    expect(refused.length).toBe(1000 - PER_ADDRESS);
    for (const refusal of refused) {
      expect(refusal.status).toBe(429);
      expect(JSON.parse(refusal.body).errors[0].extensions.code).toBe('RATE_LIMITED');
    }
    expect(target.rssBytes() - rssBefore).toBeLessThan(128 * MiB);
    await expectAnotherClientServed();
    for (const socket of opened) socket.socket.close();
    await Promise.all(opened.map((socket) => socket.closed));
  }, 120_000);

  it('connections that never send connection_init are closed with 4408', async () => {
    const silent = await Promise.all(Array.from({ length: 30 }, () => open('127.0.0.6')));
    const closes = await Promise.all(silent.map((socket) => socket.closed));
    for (const close of closes) expect(close).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    await expectAnotherClientServed();
  });
});

describe('slow readers', () => {
  it('a client that stops reading its answers costs bounded memory and does not slow anyone else', async () => {
    const client = await open('127.0.0.7');
    await client.init();
    // Reads nothing more from here on: answers pile up in the gateway until it gives up on it.
    const raw = (client.socket as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause();
    const query = '{ topProducts(first: 30) { upc name price inStock reviews { body rating author { name } } } }';
    for (let i = 0; i < 600; i++) {
      client.socket.send(JSON.stringify({ type: 'subscribe', id: `slow${i}`, payload: { query } }));
      if (i % PER_CONNECTION === PER_CONNECTION - 1) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expectAnotherClientServed();
    expect(target.rssBytes() - rssBefore).toBeLessThan(128 * MiB);
    raw.resume();
    client.socket.terminate();
  }, 120_000);
});
