import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectStillServing, type Reply } from './support/expectRefused.js';
import { clientFrom } from './support/sendFromAddress.js';
import { startTarget, type Target } from './support/startTarget.js';

// One client over its per-client operations limit (`rateLimit.default`) sends its next request
// as soon as it is answered, on several connections at once. The rule's 429 is decided inside
// Apollo Server; its answer is held (the shared refusal hold, until the window resets) and then
// closes its connection, so the client gets about one answer per connection per window instead of
// as many as the gateway can write. The per-address rule is far away: only the per-client rule
// refuses here. Each client is its own loopback address (anonymous: its address is its key).
const WINDOW_SECONDS = 4;
const LIMIT = 5;

let target: Target;

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      rateLimit: {
        default: { windowSeconds: WINDOW_SECONDS, limit: LIMIT },
        // Longer than the window: a held 429 is answered when the window resets.
        perAddress: { windowSeconds: 60, limit: 100_000, holdRefusalsMs: 10_000 },
      },
    },
  });
});

afterAll(async () => {
  await target?.close();
});

const ping = JSON.stringify({ query: '{ __typename }' });

/** A GraphQL GET from `localAddress`, on a connection of its own. */
function getFrom(localAddress: string, query: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}?query=${encodeURIComponent(query)}`,
        localAddress,
        headers: { 'apollo-require-preflight': 'true' },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

describe('one client flooding past its per-client operations limit', () => {
  it('is answered about once per window and connection, every refusal a held 429 RATE_LIMITED; another client is served meanwhile; the process stays up', async () => {
    const attacker = clientFrom(target, '127.0.0.2');
    const connections = 8;
    const seconds = 3;
    const byStatus = new Map<number, number>();
    const refusals: Reply[] = [];
    const stopAt = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < stopAt) {
        const reply = await attacker.post(ping).catch(() => null);
        if (!reply) continue;
        byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
        if (reply.status === 429) refusals.push(reply);
      }
    };
    const flood = Promise.all(Array.from({ length: connections }, worker));
    // While the attacker's refusals are held, another client (its own address, under its own
    // limit) is answered: holding them keeps none of the places its requests need.
    await expect.poll(() => refusals.length + (byStatus.get(200) ?? 0), { timeout: 10_000 }).toBeGreaterThanOrEqual(LIMIT);
    const other = clientFrom(target, '127.0.0.3');
    for (let i = 0; i < LIMIT - 1; i += 1) {
      const reply = await other.post(ping);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body?.data).toEqual({ __typename: 'Query' });
    }
    other.close();
    await flood;
    attacker.close();
    const answered = [...byStatus.values()].reduce((sum, count) => sum + count, 0);
    // Fixed windows: the flood (plus one last held answer per connection) meets at most this many.
    // Answered at once, a closed loop on loopback gets thousands of 429s in 3 s.
    const windows = Math.ceil(seconds / WINDOW_SECONDS) + 1;
    expect(answered).toBeLessThanOrEqual(windows * (LIMIT + connections));
    expect(byStatus.get(200)).toBeGreaterThanOrEqual(LIMIT);
    expect([...byStatus.keys()].sort()).toEqual([200, 429]);
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expectRefused(refusal, ['RATE_LIMITED']);
      expect(refusal.body?.errors?.[0]?.extensions).toMatchObject({ rule: 'default', limit: LIMIT, windowSeconds: WINDOW_SECONDS });
      expect(refusal.headers.get('connection')).toBe('close');
      expect(refusal.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(refusal.headers.get('ratelimit-policy')).toContain(`"default";q=${LIMIT};w=${WINDOW_SECONDS}`);
    }
    await expectStillServing(target);
  }, 60_000);

  it('holds a refused batch and a refused GET the same way, and serves the client again in its next window', async () => {
    const client = clientFrom(target, '127.0.0.4');
    for (let i = 0; i < LIMIT; i += 1) expect((await client.post(ping)).status).toBe(200);
    // Sent together, within the window: each is held until it resets.
    const [batch, get] = await Promise.all([client.post(`[${ping},${ping}]`), getFrom('127.0.0.4', '{ __typename }')]);
    expect(batch.status, JSON.stringify(batch.body)).toBe(429);
    expect(JSON.stringify(batch.body)).toContain('"RATE_LIMITED"');
    expect(batch.headers.get('connection')).toBe('close');
    expect(get.status, get.body).toBe(429);
    expect(get.body).toContain('"RATE_LIMITED"');
    expect(get.headers.connection).toBe('close');
    // Held until the window reset, so the next request is in the next window.
    const again = await client.post(ping);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body?.data).toEqual({ __typename: 'Query' });
    client.close();
    await expectStillServing(target);
  }, 60_000);
});
