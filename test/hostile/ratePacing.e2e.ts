import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { expectRefused, expectStillServing, postRaw, type Reply } from './support/expectRefused.js';
import { clientFrom } from './support/sendFromAddress.js';
import { startTarget, type Target } from './support/startTarget.js';

// Rate-limit pacing (`rateLimit.pace`) under a flood: several addresses, each at its limit with
// as many requests at once as its gate lets it, send generated operations (aliases, operation
// and variable names that are prototype keys), each with an invented API key, at full speed.
// Their operations ahead of their turns wait for them with their admission slots given back:
// many more wait than the gateway runs at once, and another client is served meanwhile, every
// time. The flood gets answers or the rules' 429s, nothing else.
const ADMISSION_SLOTS = 2;
const FLOODERS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];
const CONNECTIONS = 8;

let target: Target;

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      server: { admission: { maxConcurrent: ADMISSION_SLOTS, maxQueue: 64 } },
      rateLimit: {
        // 20 per 2 s, 2 at once: past its burst, one operation per address every 100 ms.
        default: { windowSeconds: 2, limit: 20 },
        pace: { maxDelayMs: 2000, burstPercent: 10 },
        perAddress: { windowSeconds: 60, limit: 100_000, maxInFlight: CONNECTIONS },
      },
      metrics: { listener: 'public' },
    },
  });
});

afterAll(async () => {
  await target?.close();
});

const name = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/),
);
const operation = fc
  .tuple(name, name, name)
  .map(([alias, operationName, variable]) =>
    JSON.stringify({ query: `query ${operationName}($${variable}: Int = 1) { ${alias}: topProducts(first: $${variable}) { upc } }`, operationName }),
  );

async function pacingWaits(): Promise<number> {
  return valueOf(parsePrometheusText(await (await fetch(`${target.origin}/metrics`)).text()), 'portico_rate_limit_pacing_waits', {});
}

describe('addresses flooding under rate-limit pacing', () => {
  it('wait for their turns outside admission while another client is served; every answer is data or a 429 RATE_LIMITED; the process stays up', async () => {
    const bodies = fc.sample(operation, { numRuns: 200, seed: 40 });
    const rssBefore = target.rssBytes();
    const replies: Reply[] = [];
    let stop = false;
    const clients = FLOODERS.map((address) => clientFrom(target, address));
    const flood = Promise.all(
      clients.flatMap((client, at) =>
        Array.from({ length: CONNECTIONS }, async (_, connection) => {
          for (let sent = 0; !stop; sent += 1) {
            // Each with an invented API key: unknown keys are no keys, so the address is paced as one client.
            const headers = { 'x-api-key': randomBytes(12).toString('hex') };
            const reply = await client.post(bodies[(at * CONNECTIONS + connection + sent) % bodies.length]!, headers).catch(() => null);
            if (reply) replies.push(reply);
          }
        }),
      ),
    );
    // Many more wait for their turns than run at once: the waits hold no slots.
    let mostWaiting = 0;
    await expect
      .poll(
        async () => {
          mostWaiting = Math.max(mostWaiting, await pacingWaits());
          return mostWaiting;
        },
        { timeout: 15_000, interval: 20 },
      )
      .toBeGreaterThan(4 * ADMISSION_SLOTS);
    // Meanwhile another client, under its own limit, is served each time.
    for (let i = 0; i < 5; i += 1) {
      const reply = await postRaw(target, { query: '{ topProducts(first: 1) { upc } }' });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body?.data).toEqual({ topProducts: [{ upc: expect.any(String) }] });
    }
    stop = true;
    await flood;
    for (const client of clients) client.close();

    expect(replies.length).toBeGreaterThan(FLOODERS.length * CONNECTIONS);
    const statuses = new Set(replies.map((reply) => reply.status));
    expect(
      [...statuses].every((status) => status === 200 || status === 429),
      [...statuses].join(', '),
    ).toBe(true);
    for (const reply of replies) {
      if (reply.status === 429) expectRefused(reply, ['RATE_LIMITED']);
      else expect(Object.values(reply.body?.data as object)[0]).toEqual([{ upc: expect.any(String) }]);
    }
    expect(await pacingWaits()).toBe(0);
    expect(target.rssBytes() - rssBefore).toBeLessThan(150 * 1024 * 1024);
    await expectStillServing(target);
  }, 60_000);
});
