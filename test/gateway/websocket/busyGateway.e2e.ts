import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../support/startStack.js';

const initTimeoutMs = 300;

/** Blocks this process (gateway and client alike) for `ms`: a gateway too busy to run its timers on time. */
function busyFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The first message the socket gets, or how it closed. */
function firstAnswer(socket: WebSocket): Promise<{ message: string } | { closed: number }> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve({ message: String(data) }));
    socket.once('close', (code) => resolve({ closed: code }));
  });
}

describe('a WebSocket connection on a gateway that fell behind', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { server: { websocket: { connectionInitTimeoutMs: initTimeoutMs } } } });
  }, 60_000);
  afterAll(() => stack?.close());

  it('is acknowledged when its connection_init arrived in time but the gateway read it after the timeout', async () => {
    const socket = new WebSocket(stack.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const answer = firstAnswer(socket);
    socket.send(JSON.stringify({ type: 'connection_init' }));
    // The message is in the gateway's socket; the gateway runs again only past its init timeout.
    busyFor(initTimeoutMs + 500);
    expect(await answer).toEqual({ message: JSON.stringify({ type: 'connection_ack' }) });
    socket.close();
  });

  it('still closes one that sent nothing within the timeout (4408)', async () => {
    const socket = new WebSocket(stack.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    expect(await firstAnswer(socket)).toEqual({ closed: 4408 });
  });
});
