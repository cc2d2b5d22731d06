import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectStillServing } from './support/expectRefused.js';
import { clientFrom } from './support/sendFromAddress.js';
import { startTarget, type Target } from './support/startTarget.js';

// One address floods at full speed once over its limit; refusals are held until its window
// resets (rateLimit.perAddress.holdRefusalsMs longer than the window), so a client that waits
// for its answers is answered about once per window and connection. The legitimate client of
// expectStillServing is 127.0.0.1; each attack comes from another loopback address.
const WINDOW_SECONDS = 2;
const LIMIT = 20;
const MAX_HELD = 8;
const MAX_CONNECTIONS = 16;

let target: Target;

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      rateLimit: {
        perAddress: { windowSeconds: WINDOW_SECONDS, limit: LIMIT, holdRefusalsMs: 10_000, maxHeldRequests: MAX_HELD, maxConnections: MAX_CONNECTIONS },
      },
    },
  });
});

afterAll(async () => {
  await target?.close();
});

const ping = JSON.stringify({ query: '{ __typename }' });

/** Raw connections from `localAddress`, each reporting what the gateway wrote and when it closed. */
async function connectFrom(localAddress: string, count: number) {
  const port = Number(new URL(target.origin).port);
  return Promise.all(
    Array.from({ length: count }, async () => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress });
      socket.on('error', () => {}); // a reset is an answer too
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise<void>((resolve) => {
        socket.once('connect', resolve);
        socket.once('close', resolve);
      });
      return { socket, closed, received: () => received };
    }),
  );
}

const postHead = (body: string) =>
  `POST /graphql HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const statusLines = (text: string) => text.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];

describe('one address flooding past its limit', () => {
  it('is answered about once per window and request in flight, however fast it sends; the process stays up and serves others', async () => {
    const attacker = clientFrom(target, '127.0.0.2');
    const inFlight = 8;
    const seconds = 5;
    const byStatus = new Map<number, number>();
    let lastRefusal: Awaited<ReturnType<typeof attacker.post>> | undefined;
    const stopAt = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < stopAt) {
        const reply = await attacker.post(ping).catch(() => null);
        if (!reply) continue;
        byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
        if (reply.status === 429) lastRefusal = reply;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    attacker.close();
    const answered = [...byStatus.values()].reduce((sum, count) => sum + count, 0);
    // Fixed windows: the flood (plus one last held answer per worker) meets at most this many.
    const windows = Math.ceil(seconds / WINDOW_SECONDS) + 2;
    // Answered at once, a closed loop on loopback gets thousands in 5 s; held, each window has
    // the limit's answers and one refusal per request in flight.
    expect(answered).toBeLessThanOrEqual(windows * (LIMIT + inFlight));
    expect(byStatus.get(200)).toBeGreaterThanOrEqual(LIMIT);
    expect([...byStatus.keys()].sort()).toEqual([200, 429]);
    expectRefused(lastRefusal!, ['RATE_LIMITED']);
    expect(lastRefusal!.headers.get('connection')).toBe('close');
    expect(lastRefusal!.body?.errors?.[0]?.extensions).toMatchObject({ rule: 'address', limit: LIMIT, windowSeconds: WINDOW_SECONDS });
    await expectStillServing(target);
  });

  it('cannot hold more than maxConnections open: the ones past it are closed as they are accepted', async () => {
    const connections = await connectFrom('127.0.0.3', MAX_CONNECTIONS + 8);
    // Each sends nothing; the ones past the cap are closed at once, without an answer.
    await expect.poll(() => connections.filter(({ socket }) => socket.destroyed).length).toBeGreaterThanOrEqual(8);
    const closed = connections.filter(({ socket }) => socket.destroyed);
    expect(closed).toHaveLength(8);
    for (const connection of closed) expect(connection.received()).toBe('');
    // The ones kept are served as usual.
    const kept = connections.find(({ socket }) => !socket.destroyed)!;
    kept.socket.write(postHead(ping));
    await expect.poll(() => kept.received()).toMatch(/^HTTP\/1\.1 200 /);
    for (const { socket } of connections) socket.destroy();
    await expectStillServing(target);
  });

  it('cannot pipeline its way past the held refusals: past maxHeldRequests its connection is closed', async () => {
    const [pipelining] = await connectFrom('127.0.0.4', 1);
    pipelining!.socket.write(postHead(ping).repeat(LIMIT + MAX_HELD + 50));
    await pipelining!.closed;
    // The gateway answered at most the limit and the held ones, and closed the connection on the rest.
    expect(statusLines(pipelining!.received()).length).toBeLessThanOrEqual(LIMIT + MAX_HELD);
    // None of its refusals was answered at once: they were held, and went with the connection.
    expect(pipelining!.received()).not.toMatch(/^HTTP\/1\.1 429/m);
    await expectStillServing(target);
  });

  it('serves a client that was limited again once its window has passed', async () => {
    const client = clientFrom(target, '127.0.0.5');
    for (let i = 0; i < LIMIT; i += 1) expect((await client.post(ping)).status).toBe(200);
    const refused = await client.post(ping);
    expectRefused(refused, ['RATE_LIMITED']);
    // Held until the window reset, so the next request is in the next window.
    const again = await client.post(ping);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body?.data).toEqual({ __typename: 'Query' });
    client.close();
    await expectStillServing(target);
  });
});
