import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStillServing, postRaw, type Reply } from './support/expectRefused.js';
import { INTERNALS } from './support/internalsPattern.js';
import { startTarget, type Target } from './support/startTarget.js';

// A faulty or compromised subgraph answering every request with a body far larger than any
// answer (the review that found this streamed 700 MB: the gateway grew from 89 MB to 1.5 GB and
// blamed itself). The gateway must cut each answer off at `upstream.maxResponseBytes` (its
// default, 32 MiB, here) and serve everyone else; it must not open the subgraph's breaker, since
// a caller's operation decides how large an answer is.
const MiB = 1024 * 1024;
// Each answer stops at this size, with a valid GraphQL response at its end: a gateway that read
// it all would answer with its data (and hold a few hundred MiB doing so), never with an error.
const ANSWER_BYTES = 128 * MiB;
const FAILURE_THRESHOLD = 12;

let evil: Server;
let target: Target;
// Requests the evil subgraph got, and the bytes it got written before each was cut off.
const answered: number[] = [];

beforeAll(async () => {
  evil = createServer((req, res) => {
    req.resume();
    req.on('end', () => streamHugeAnswer(res));
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  target = await startTarget({
    mode: 'production',
    subgraphUrls: { accounts: `http://127.0.0.1:${(evil.address() as AddressInfo).port}/graphql` },
    // Several rounds of over-limit answers reach the threshold: had they counted, the circuit would open.
    config: { upstream: { breaker: { failureThreshold: FAILURE_THRESHOLD, resetTimeoutMs: 600_000 } } },
  });
}, 60_000);

afterAll(async () => {
  await target?.close();
  evil?.closeAllConnections();
  await new Promise((resolve) => evil?.close(resolve));
});

function streamHugeAnswer(res: ServerResponse): void {
  const index = answered.push(0) - 1;
  const chunk = Buffer.alloc(MiB, 0x20);
  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(200, { 'content-type': 'application/json' });
  const pump = () => {
    while (!closed && answered[index]! < ANSWER_BYTES) {
      answered[index]! += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!closed) res.end('{"data":{"user":{"id":"1"}}}');
  };
  pump();
}

/** One caller's request to the evil subgraph (each its own id, so that none shares another's answer). */
const askAccounts = (id: number): Promise<Reply> => postRaw(target, { query: `{ user(id: "${id}") { id } }` });

function expectOverTheLimit(reply: Reply): void {
  expect(reply.body?.data, JSON.stringify(reply.body)).toEqual({ user: null });
  expect(reply.body?.errors).toEqual([
    {
      message: `Subgraph "accounts" sent an answer over the gateway's size limit`,
      path: ['user'],
      extensions: { code: 'SUBGRAPH_ERROR', serviceName: 'accounts' },
    },
  ]);
  expect(JSON.stringify(reply.body)).not.toMatch(INTERNALS);
}

describe('a subgraph that answers with an endless body', () => {
  it('gets each answer cut off at the limit, with a coded error, the gateway bounded and serving everyone else', async () => {
    const before = target.rssBytes();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, target.rssBytes())), 20);
    try {
      let id = 0;
      // Rounds of four callers at once, each with another client's request to another subgraph beside them.
      for (let round = 0; round < FAILURE_THRESHOLD / 4; round += 1) {
        const attacks = [1, 2, 3, 4].map(() => askAccounts((id += 1)));
        const bystander = postRaw(target, { query: '{ topProducts(first: 2) { upc } }' });
        const other = await bystander;
        expect(other.status, JSON.stringify(other.body)).toBe(200);
        expect(other.body?.errors, JSON.stringify(other.body)).toBeUndefined();
        expect(other.body?.data).toEqual({ topProducts: [{ upc: expect.any(String) }, { upc: expect.any(String) }] });
        for (const reply of await Promise.all(attacks)) expectOverTheLimit(reply);
      }
    } finally {
      clearInterval(sampler);
    }
    expect(answered).toHaveLength(FAILURE_THRESHOLD);
    // Each answer was cut off, never read to its end: written up to the limit, plus what the
    // sockets' buffers and the gateway's reading took before the abort reached the server (up to
    // 34 MiB more on a loaded machine).
    for (const written of answered) expect(written).toBeLessThan(96 * MiB);
    // Four answers at once, each held up to 32 MiB before it is cut off; a gateway that read them
    // whole held several times their 128 MiB each (1.5 GB for one 700 MB answer).
    expect(peak - before, `peak RSS ${Math.round(peak / MiB)} MiB, before ${Math.round(before / MiB)} MiB`).toBeLessThan(256 * MiB);
    await expectStillServing(target);
  }, 120_000);

  it("does not count against the subgraph's circuit breaker: a caller decides how large an answer is", async () => {
    const asked = answered.length;
    // Past the breaker's threshold of failures: still asked, still cut off, never SUBGRAPH_UNAVAILABLE.
    expectOverTheLimit(await askAccounts(1_000));
    expect(answered).toHaveLength(asked + 1);
    expect(target.output()).not.toMatch(/circuit breaker of subgraph accounts is open/);
    await expectStillServing(target);
  });
});
