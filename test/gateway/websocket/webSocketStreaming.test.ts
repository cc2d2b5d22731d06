import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/createLogger.js';
import { ErrorCode } from '../../../common/errorCodes.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { Authenticator } from '../../../gateway/auth/createAuthenticator.js';
import { createFormatError } from '../../../gateway/errors/createFormatError.js';
import type { DeferredPart, SubscriptionEvent } from '../../../gateway/streaming/ResultStream.js';
import { createWebSocketTransport, type WebSocketTransport } from '../../../gateway/websocket/createWebSocketTransport.js';
import type { RunOperation } from '../../../gateway/websocket/serveConnection.js';
import { closed, closeOf, nextMessage, runOperation, upgrade, wsClient } from './webSocketClient.js';

// The transport's streaming path, with streams made here in place of the executor's: what the
// contract (gateway/streaming/ResultStream.ts) asks of a transport, whatever produces the stream.

/** A stream the test feeds by hand, that records whether `return()` was called. */
function controlledStream<T>() {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let ended = false;
  const state = { returned: false };
  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (ended || state.returned) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: async () => {
      state.returned = true;
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return {
    iterator,
    state,
    push(item: T) {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: item, done: false });
      } else queue.push(item);
    },
    end() {
      ended = true;
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
    },
  };
}

type Controlled<T> = ReturnType<typeof controlledStream<T>>;
const streams: Controlled<SubscriptionEvent>[] = [];
let deferred: Controlled<DeferredPart> | undefined;

const runFake: RunOperation = async (_source, payload) => {
  if (payload.query === 'subscription') {
    const stream = controlledStream<SubscriptionEvent>();
    streams.push(stream);
    return { kind: 'result', first: null, stream: { kind: 'subscription', events: stream.iterator } };
  }
  if (payload.query === 'deferred') {
    deferred = controlledStream<DeferredPart>();
    return { kind: 'result', first: { data: { a: 1 }, hasNext: true } as never, stream: { kind: 'deferred', parts: deferred.iterator } };
  }
  if (payload.query === 'refused') return { kind: 'error', errors: [{ message: 'no', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] };
  return { kind: 'result', first: { data: { query: payload.query ?? null } }, stream: undefined };
};

const authenticator: Authenticator = {
  async authenticate(headers) {
    const authorization = headers.authorization;
    if (authorization === undefined) return null;
    if (authorization === 'Bearer good') return { subject: 'good', scopes: [], claims: { exp: Math.floor(Date.now() / 1000) + 300 } };
    if (authorization === 'Bearer soon') return { subject: 'soon', scopes: [], claims: { exp: Math.floor(Date.now() / 1000) + 1 } };
    throw new HttpError(ErrorCode.UNAUTHENTICATED, 'Authentication failed: the token is refused.');
  },
};

let server: http.Server;
let transport: WebSocketTransport;
let url: string;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end());
  transport = createWebSocketTransport({
    runOperation: runFake,
    arrive: async () => {},
    authenticator,
    graphqlPath: '/graphql',
    settings: {
      enabled: true,
      maxConnections: 50,
      maxConnectionsPerAddress: 50,
      maxSubscriptionsPerConnection: 2,
      maxMessageBytes: 2048,
      connectionInitTimeoutMs: 300,
      pingIntervalMs: 60_000,
      idleTimeoutMs: 60_000,
    },
    limits: { maxJsonDepth: 8, maxVariablesBytes: 512 },
    formatError: createFormatError({ mode: 'production' }),
    cors: { allowsOrigin: () => true, allowsCredentials: () => true },
    clientAddressOf: (req) => req.socket.remoteAddress ?? '',
    logger: createLogger({ name: 'ws-test', level: 'silent' }),
  });
  server.on('upgrade', transport.upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Waits until `check` holds (what the server does in answer to a message takes a turn or two). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a subscription stream', () => {
  it('is delivered as next messages, errors formatted by formatError, then complete', async () => {
    const client = wsClient(url);
    streams.length = 0;
    const run = runOperation(client, { query: 'subscription' });
    await until(() => streams.length === 1);
    streams[0]!.push({ data: { n: 1 } });
    streams[0]!.push({ data: null, errors: [new GraphQLError('internal detail at /srv/secret')] });
    streams[0]!.end();
    const { results, error } = await run;
    await client.dispose();
    expect(error).toBeUndefined();
    // Production masks an uncoded error, in each event as in a first result.
    expect(results).toEqual([
      { data: { n: 1 } },
      { data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    ]);
  });

  it('ends with return() when the client completes it', async () => {
    const client = wsClient(url);
    streams.length = 0;
    const unsubscribe = client.subscribe({ query: 'subscription' }, { next: () => {}, error: () => {}, complete: () => {} });
    await until(() => streams.length === 1);
    unsubscribe();
    await until(() => streams[0]!.state.returned);
    await client.dispose();
  });

  it('ends with return() when the client goes away', async () => {
    const client = wsClient(url);
    streams.length = 0;
    client.subscribe({ query: 'subscription' }, { next: () => {}, error: () => {}, complete: () => {} });
    await until(() => streams.length === 1);
    client.terminate();
    await until(() => streams[0]!.state.returned);
  });

  it('is refused past maxSubscriptionsPerConnection, with RATE_LIMITED, the connection still open', async () => {
    const client = wsClient(url);
    streams.length = 0;
    for (let i = 0; i < 2; i++) client.subscribe({ query: 'subscription' }, { next: () => {}, error: () => {}, complete: () => {} });
    await until(() => streams.length === 2);
    const third = await runOperation(client, { query: 'subscription' });
    expect((third.error as { extensions: { code: string } }[])[0]!.extensions.code).toBe('RATE_LIMITED');
    streams[0]!.end();
    await until(() => streams.length === 2);
    // One ended: room for one more.
    const query = await runOperation(client, { query: '{ x }' });
    expect(query.results).toEqual([{ data: { query: '{ x }' } }]);
    await client.dispose();
  });

  it('ends with UNAUTHENTICATED when the token expires, and the socket closes with 4403', async () => {
    const client = wsClient(url, { connectionParams: { Authorization: 'Bearer soon' } });
    streams.length = 0;
    const run = runOperation(client, { query: 'subscription' });
    await until(() => streams.length === 1);
    const { error } = await run;
    expect((error as { extensions: { code: string } }[])[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(streams[0]!.state.returned).toBe(true);
    await client.dispose();
  });
});

describe('a deferred stream', () => {
  it('sends the first result, then every part, as next messages', async () => {
    const client = wsClient(url);
    deferred = undefined;
    const run = runOperation(client, { query: 'deferred' });
    await until(() => deferred !== undefined);
    deferred!.push({ incremental: [{ data: { b: 2 }, path: [], errors: [new GraphQLError('coded', { extensions: { code: 'FORBIDDEN' } })] }], hasNext: false });
    deferred!.end();
    const { results } = await run;
    await client.dispose();
    expect(results).toEqual([
      { data: { a: 1 }, hasNext: true },
      { incremental: [{ data: { b: 2 }, path: [], errors: [{ message: 'coded', extensions: { code: 'FORBIDDEN' } }] }], hasNext: false },
    ]);
  });
});

describe('the protocol', () => {
  it('sends a refused operation as one error message', async () => {
    const client = wsClient(url);
    const run = await runOperation(client, { query: 'refused' });
    await client.dispose();
    expect(run).toEqual({ results: [], error: [{ message: 'no', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });

  it('closes with 4403 for a refused token', async () => {
    const client = wsClient(url, { connectionParams: { authorization: 'Bearer bad' } });
    const run = await runOperation(client, { query: '{ x }' });
    expect(closeOf(run.error)).toEqual({ code: 4403, reason: 'Authentication failed: the token is refused.' });
  });

  it('closes with 4408 without connection_init in time, 1009 for a message too large, 4400 for JSON nested too deep', async () => {
    const open = async () => {
      const outcome = await upgrade(url, ['graphql-transport-ws']);
      if (!('open' in outcome)) throw new Error('refused');
      return outcome.open;
    };
    const silent = await open();
    expect((await closed(silent)).code).toBe(4408);
    const big = await open();
    big.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(4096) } }));
    expect((await closed(big)).code).toBe(1009);
    const deep = await open();
    deep.send(`{"type":"connection_init","payload":${'['.repeat(20)}${']'.repeat(20)}}`);
    const close = await closed(deep);
    expect(close.code).toBe(4400);
    expect(close.reason).toContain('limits.maxJsonDepth');
  });

  it('answers the messages of one socket in order, pong included', async () => {
    const outcome = await upgrade(url, ['graphql-transport-ws']);
    if (!('open' in outcome)) throw new Error('refused');
    const socket = outcome.open;
    const ack = nextMessage(socket);
    socket.send(JSON.stringify({ type: 'connection_init' }));
    expect(await ack).toEqual({ type: 'connection_ack' });
    const pong = nextMessage(socket);
    socket.send(JSON.stringify({ type: 'ping', payload: { any: 'thing' } }));
    expect(await pong).toEqual({ type: 'pong' });
    socket.close();
  });
});

describe('draining', () => {
  it('ends every stream, closes with 1001, and refuses new upgrades with 503', async () => {
    const client = wsClient(url);
    streams.length = 0;
    const run = runOperation(client, { query: 'subscription' });
    await until(() => streams.length === 1);
    await transport.drain(0, 5000);
    const { error } = await run;
    expect(closeOf(error)).toEqual({ code: 1001, reason: 'The gateway is stopping; reconnect' });
    expect(streams[0]!.state.returned).toBe(true);
    const refused = await upgrade(url, ['graphql-transport-ws']);
    if ('open' in refused) throw new Error('upgraded while draining');
    expect(refused.status).toBe(503);
    expect(refused.body.errors![0]!.extensions!.code).toBe('SERVICE_NOT_READY');
  });
});
