import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { expectStillServing, postRaw } from './support/expectRefused.js';
import { clientFrom } from './support/sendFromAddress.js';
import { startTarget, type Target } from './support/startTarget.js';
import { TRUSTED_PROXY } from './support/trustedProxy.js';

// One address with more requests at once than rateLimit.perAddress.maxInFlight: its requests
// past that many wait their turn, unread, behind its own, while every other address is served.
// The requests that hold an address's places here are bodies sent slowly (read after the gate),
// so what waits and what is served is decided by order, not by timing. The legitimate client of
// expectStillServing is 127.0.0.1; each flooding address is another loopback address.
const MAX_IN_FLIGHT = 2;
// Also the budget of the burst's last request (a burst of 40, two at a time): ample on a loaded
// machine, where a 5 s budget could refuse it. The test of the refusal waits it out once.
const QUEUE_TIMEOUT_MS = 20_000;

let target: Target;

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      // Slow bodies hold their places for longer than a request waits at the gate.
      server: { bodyTimeoutMs: 30_000, headersTimeoutMs: 30_000, admission: { queueTimeoutMs: QUEUE_TIMEOUT_MS } },
      // TRUSTED_PROXY's forwarded addresses are the client's (and so client-chosen text, bounded).
      rateLimit: { trustedProxies: [TRUSTED_PROXY], perAddress: { windowSeconds: 60, limit: 100_000, maxInFlight: MAX_IN_FLIGHT } },
      // On the gateway's own port, so that this file needs no second one.
      metrics: { listener: 'public' },
    },
  });
});

afterAll(async () => {
  await target?.close();
});

const ping = JSON.stringify({ query: '{ __typename }' });
const head = (contentLength: number, forwardedFor?: string) =>
  `POST /graphql HTTP/1.1\r\nhost: gateway\r\n${forwardedFor === undefined ? '' : `x-forwarded-for: ${forwardedFor}\r\n`}content-type: application/json\r\ncontent-length: ${contentLength}\r\n\r\n`;

/** A raw connection from `localAddress` that has sent `text`, reporting what the gateway wrote. */
async function connectFrom(localAddress: string, text: string) {
  const socket = net.connect({ port: Number(new URL(target.origin).port), host: '127.0.0.1', localAddress });
  socket.on('error', () => {});
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(text);
  return { socket, received: () => received };
}

/** `portico_address_waiting` now. */
async function waitingNow(): Promise<number> {
  return valueOf(parsePrometheusText(await (await fetch(`${target.origin}/metrics`)).text()), 'portico_address_waiting', {});
}

/** `MAX_IN_FLIGHT` requests from `address` whose bodies never finish: they hold every place of that address. */
async function holdPlaces(address: string) {
  const holders = [];
  for (let i = 0; i < MAX_IN_FLIGHT; i += 1) holders.push(await connectFrom(address, `${head(ping.length)}${ping.slice(0, 5)}`));
  // Each is being read (past the gate) once the gateway answers a later request of another address.
  await expectStillServing(target);
  return holders;
}

describe('one address with more requests at once than maxInFlight', () => {
  it('queues its newest behind its own: another address is served first, and the queued one once a place frees', async () => {
    const holders = await holdPlaces('127.0.0.2');
    const queued = await connectFrom('127.0.0.2', `${head(ping.length)}${ping}`);
    // Sent after the queued request, and answered before it: other addresses never wait behind it.
    const other = clientFrom(target, '127.0.0.3');
    for (let i = 0; i < 3; i += 1) expect((await other.post(ping)).status).toBe(200);
    other.close();
    await expectStillServing(target);
    expect(queued.received()).toBe('');
    expect(await waitingNow()).toBe(1);
    // One slow body completes: its answer, then the queued request's.
    holders[0]!.socket.write(ping.slice(5));
    await expect.poll(() => holders[0]!.received(), { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 200 /);
    await expect.poll(() => queued.received(), { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 200 /);
    expect(queued.received()).toContain('{"data":{"__typename":"Query"}}');
    expect(await waitingNow()).toBe(0);
    for (const { socket } of [...holders, queued]) socket.destroy();
  });

  it('answers a request that waited past server.admission.queueTimeoutMs with 503 OVERLOADED and Retry-After, never a stack', async () => {
    const holders = await holdPlaces('127.0.0.4');
    const waiting = clientFrom(target, '127.0.0.4');
    const reply = await waiting.post(ping);
    expect(reply.status, JSON.stringify(reply.body)).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('1');
    // Its body is unread: the connection closes, rather than Node reading the body outside its limits.
    expect(reply.headers.get('connection')).toBe('close');
    expect(reply.body?.errors?.[0]?.extensions?.code).toBe('OVERLOADED');
    expect(reply.body?.errors?.[0]?.message).toMatch(/maxInFlight/);
    expect(JSON.stringify(reply.body)).not.toMatch(/\n\s+at |stacktrace/);
    waiting.close();
    for (const { socket } of holders) socket.destroy();
    // Its places are free again once its clients are gone.
    const again = clientFrom(target, '127.0.0.4');
    await expect.poll(async () => (await again.post(ping)).status, { timeout: 10_000 }).toBe(200);
    again.close();
    await expectStillServing(target);
  }, 90_000);

  it('serves every request of a burst, in turn, whatever it holds: none refused, the process up, other clients served', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 255 }), async (burst, host) => {
        const client = clientFrom(target, `127.0.2.${host}`);
        try {
          const replies = await Promise.all(Array.from({ length: burst }, () => client.post(ping)));
          expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));
        } finally {
          client.close();
        }
      }),
      { numRuns: 15 },
    );
    expect((await postRaw(target, ping)).status).toBe(200);
    await expectStillServing(target);
  }, 120_000);
});

describe('client-chosen addresses (forwarded by a trusted proxy)', () => {
  it('counts `__proto__`, `constructor` and `toString` as the proxy that forwarded them: one address, its places shared, while a forwarded address has its own', async () => {
    const names = ['__proto__', 'constructor', 'toString'];
    const holders = [];
    for (let i = 0; i < MAX_IN_FLIGHT; i += 1)
      holders.push(await connectFrom(TRUSTED_PROXY, `${head(ping.length, names[i % names.length]!)}${ping.slice(0, 5)}`));
    await expectStillServing(target);
    // Another name through the same proxy is the same client: it waits its turn behind them.
    const queued = await connectFrom(TRUSTED_PROXY, `${head(ping.length, 'prototype')}${ping}`);
    // A forwarded address, sent later through the same proxy, is another client: served at once.
    const other = await connectFrom(TRUSTED_PROXY, `${head(ping.length, '198.51.100.20')}${ping}`);
    await expect.poll(() => other.received(), { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 200 /);
    expect(await waitingNow()).toBe(1);
    expect(queued.received()).toBe('');
    holders[0]!.socket.write(ping.slice(5));
    await expect.poll(() => queued.received(), { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 200 /);
    expect(queued.received()).toContain('{"data":{"__typename":"Query"}}');
    for (const { socket } of [...holders, queued, other]) socket.destroy();
    await expect.poll(waitingNow, { timeout: 10_000 }).toBe(0);
    await expectStillServing(target);
  }, 90_000);

  it('serves the bursts of generated forwarded addresses in turn, never with a 5xx', async () => {
    const proxy = clientFrom(target, TRUSTED_PROXY);
    try {
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[\x21-\x7e]{1,200}$/), async (forwarded) => {
          const replies = await Promise.all(Array.from({ length: MAX_IN_FLIGHT + 3 }, () => proxy.post(ping, { 'x-forwarded-for': forwarded })));
          expect(
            replies.map((reply) => reply.status),
            forwarded,
          ).toEqual(replies.map(() => 200));
        }),
        { numRuns: 40 },
      );
    } finally {
      proxy.close();
    }
    expect(await waitingNow()).toBe(0);
    await expectStillServing(target);
  }, 120_000);
});
