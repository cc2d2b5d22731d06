import { describe, expect, vi } from 'vitest';
import { fetch } from 'undici';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { pendingSlowFields, releaseSlowFields } from './fixtures/products.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { shopTest as it } from './fixtures/shopTest.js';
import type { RunningGateway } from './fixtures/startGateway.js';

// Rate-limit pacing (`rateLimit.pace`) on production gateways. Every request comes from
// 127.0.0.1: clients are told apart by known API keys, and the per-address rule, gate and holds
// are out of the way.
const keys = ['pacing-key-aaaaaaaaaaaa', 'pacing-key-bbbbbbbbbbbb', 'pacing-key-cccccccccccc'];
const paced = (defaultRule: { windowSeconds: number; limit: number }, pace: Record<string, unknown>, admission: Record<string, unknown> = {}) => ({
  mode: 'production',
  server: { admission },
  rateLimit: {
    apiKeys: keys,
    perAddress: { maxInFlight: 0, holdRefusalsMs: 0 },
    default: defaultRule,
    pace,
  },
});
const ping = { query: '{ __typename }' };
const as = (key: string) => ({ 'x-api-key': key });
const metrics = async (gateway: RunningGateway) =>
  parsePrometheusText(await (await fetch(`http://127.0.0.1:${gateway.server.metricsAddress()!.port}/metrics`)).text());

describe('rate-limit pacing (rateLimit.pace)', () => {
  it("runs a client's burst at once, then its operations one by one at the rule's rate", async ({ gatewayWith }) => {
    // 10 a second, 2 at once: the 3rd to 6th wait 100 to 400 ms for their turns.
    const gateway = await gatewayWith('pacing-spread', paced({ windowSeconds: 1, limit: 10 }, { maxDelayMs: 1000, burstPercent: 20 }));
    const startedAt = performance.now();
    const answered: number[] = [];
    const replies = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const reply = await postGraphQL(gateway.origin, ping, as(keys[0]!));
        answered.push(performance.now() - startedAt);
        return reply;
      }),
    );
    for (const { response, body } of replies) {
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(body).toEqual({ data: { __typename: 'Query' } });
    }
    // Answered at once without pacing; the last had to wait for the fourth turn after the burst.
    expect(Math.max(...answered)).toBeGreaterThanOrEqual(390);
    // Another client is not paced by the first one's turns.
    const other = await postGraphQL(gateway.origin, ping, as(keys[1]!));
    expect(other.response.status).toBe(200);
  });

  it('gives the admission slot back while an operation waits for its turn; a client gone while waiting takes none', async ({ gatewayWith }) => {
    // One operation at a time; 4 per 20 s, one at once: the second waits 5 s for its turn.
    const gateway = await gatewayWith(
      'pacing-admission',
      paced({ windowSeconds: 20, limit: 4 }, { maxDelayMs: 10_000, burstPercent: 1 }, { maxConcurrent: 1, maxQueue: 4 }),
    );
    expect((await postGraphQL(gateway.origin, ping, as(keys[0]!))).response.status).toBe(200);
    const leaving = new AbortController();
    const waiting = postGraphQL(gateway.origin, ping, as(keys[0]!), undefined, leaving.signal).catch((error: Error) => error);
    // Once it waits for its turn, another client's operation takes the only slot and runs.
    await vi.waitFor(async () => {
      const state = await metrics(gateway);
      expect(valueOf(state, 'portico_rate_limit_pacing_waits', {})).toBe(1);
      expect(valueOf(state, 'portico_admission_in_flight', {})).toBe(0);
    });
    const other = postGraphQL(gateway.origin, { query: '{ slowField(tag: "paced-other") }' }, as(keys[1]!));
    await vi.waitFor(() => expect(pendingSlowFields('paced-other')).toBe(1));
    releaseSlowFields();
    expect((await other).body).toEqual({ data: { slowField: 'finally' } });
    // The waiting client leaves: it never takes a slot again, and the gateway serves the next.
    leaving.abort();
    expect(await waiting).toBeInstanceOf(Error);
    await vi.waitFor(async () => {
      const state = await metrics(gateway);
      expect(valueOf(state, 'portico_rate_limit_pacing_waits', {})).toBe(0);
      expect(valueOf(state, 'portico_admission_in_flight', {})).toBe(0);
      expect(valueOf(state, 'portico_admission_queued', {})).toBe(0);
    });
    expect((await postGraphQL(gateway.origin, ping, as(keys[2]!))).response.status).toBe(200);
    // Logged as a client gone (499), not as a failure of the gateway's.
    await vi.waitFor(() => expect(gateway.logs.some((line) => line.status === 499)).toBe(true));
    expect(gateway.logs.filter((line) => typeof line.status === 'number' && line.status >= 500)).toEqual([]);
  });

  it('refuses an operation whose turn is further off than maxDelayMs, and one in a batch, with 429 RATE_LIMITED and when to retry', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('pacing-refused', paced({ windowSeconds: 20, limit: 4 }, { maxDelayMs: 1000, burstPercent: 1 }));
    expect((await postGraphQL(gateway.origin, ping, as(keys[0]!))).response.status).toBe(200);
    const refused = await postGraphQL(gateway.origin, ping, as(keys[0]!));
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get('retry-after')).toBe('5');
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'default', limit: 4, windowSeconds: 20, retryAfterSeconds: 5 });
    expect(refused.body.errors?.[0]?.message).toMatch(
      /^Rate limit "default": this client is ahead of its pace \(1 operation at once, then 4 per 20 s spread evenly\); its turn is in \d+ ms, retry in 5 s$/,
    );
    // Its place in the window is spent: the client's limit is what it is without pacing.
    expect(refused.response.headers.get('ratelimit')).toMatch(/^"default";r=2;t=\d+$/);

    // A batch: the first operation runs, the second is refused rather than wait with the batch's slot.
    const batch = await postGraphQL(gateway.origin, [ping, ping], as(keys[1]!));
    const [first, second] = batch.body as unknown as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
    expect(first).toEqual({ data: { __typename: 'Query' } });
    expect(second?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', rule: 'default' });
    expect(second?.errors?.[0]?.message).toContain('ahead of its pace');
  });

  it('lets the waiting operations run at once when the gateway drains', async ({ gatewayWith }) => {
    const gateway = await gatewayWith('pacing-drain', paced({ windowSeconds: 60, limit: 4 }, { maxDelayMs: 30_000, burstPercent: 1 }));
    expect((await postGraphQL(gateway.origin, ping, as(keys[0]!))).response.status).toBe(200);
    // Its turn is 15 s away.
    const waiting = postGraphQL(gateway.origin, ping, as(keys[0]!));
    await vi.waitFor(async () => expect(valueOf(await metrics(gateway), 'portico_rate_limit_pacing_waits', {})).toBe(1));
    const startedAt = performance.now();
    const stopped = gateway.stop();
    const { response, body } = await waiting;
    expect(response.status).toBe(200);
    expect(body).toEqual({ data: { __typename: 'Query' } });
    expect(performance.now() - startedAt).toBeLessThan(10_000);
    await stopped;
  });
});
