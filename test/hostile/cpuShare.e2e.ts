import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, valueOf } from '../support/parsePrometheusText.js';
import { expectStillServing } from './support/expectRefused.js';
import { clientFrom } from './support/sendFromAddress.js';
import { startTarget, type Target } from './support/startTarget.js';

// CPU fairness between addresses (rateLimit.perAddress.cpuShare): one address keeps WORKERS
// costly but allowed requests in flight, fewer than maxInFlight (8), enough to saturate the
// gateway's event loop; another sends cheap ones one at a time. Without fairness, the flooding
// address's requests never wait (it is under maxInFlight) and take the loop; with it, that
// address is over its share of a saturated loop and is held to one request in progress, its
// others waiting at the gate (portico_address_waiting), while the other address is not held.
// Decided by the gateway's own accounting, read from its metrics: no timing is asserted.
const WORKERS = 6;
const ALIASES = 20_000;

let target: Target;

beforeAll(async () => {
  target = await startTarget({
    mode: 'production',
    config: {
      // Long enough that a held request is served in turn, never refused, on a loaded machine.
      server: { bodyLimitBytes: 2_000_000, admission: { queueTimeoutMs: 60_000 } },
      // A document this large is allowed here: costly, but within every limit.
      limits: { maxDocumentBytes: 1_000_000, maxTokens: 200_000, maxAliases: 50_000, maxRootFields: 50_000, maxExpandedFields: 50_000 },
      rateLimit: { perAddress: { limit: 1_000_000 }, default: { limit: 1_000_000 }, cost: { budget: 1_000_000_000 } },
      metrics: { listener: 'public' },
    },
  });
});

afterAll(async () => {
  await target?.close();
});

const costly = JSON.stringify({ query: `{ ${Array.from({ length: ALIASES }, (_, i) => `a${i}: __typename`).join(' ')} }` });
const cheap = JSON.stringify({ query: '{ __typename }' });

/** `portico_address_waiting` and `portico_address_waiting_cpu_share` now. */
async function waitingNow(): Promise<{ waiting: number; forShare: number }> {
  const metrics = parsePrometheusText(await (await fetch(`${target.origin}/metrics`)).text());
  return { waiting: valueOf(metrics, 'portico_address_waiting', {}), forShare: valueOf(metrics, 'portico_address_waiting_cpu_share', {}) };
}

describe('an address whose requests take the event loop', () => {
  it('is held to one request in progress while the loop is saturated, and another address is not held', async () => {
    const flooder = clientFrom(target, '127.0.0.2');
    const other = clientFrom(target, '127.0.0.3');
    let flooding = true;
    const floodStatuses: number[] = [];
    const otherStatuses: number[] = [];
    const workers = Array.from({ length: WORKERS }, async () => {
      while (flooding) floodStatuses.push((await flooder.post(costly)).status);
    });
    const client = (async () => {
      while (flooding) otherStatuses.push((await other.post(cheap)).status);
    })();
    try {
      // The flooding address's requests wait at the gate for its share: it has WORKERS in flight,
      // under maxInFlight, so without fairness none would ever wait; a request waits for its
      // share only when its address's limit is lowered, to one, and that one is in progress.
      // (How many wait at a scrape depends on how fast the flooding client sends again on a
      // loaded machine; that any wait for the share is what only fairness does.) The other
      // address sends one at a time, so it never has one waiting.
      await expect
        .poll(
          async () => {
            const { waiting, forShare } = await waitingNow();
            return forShare >= 1 && forShare === waiting;
          },
          { timeout: 60_000, interval: 100 },
        )
        .toBe(true);
    } finally {
      flooding = false;
      await Promise.all([...workers, client]);
      flooder.close();
      other.close();
    }
    // Held, not refused: every request of both addresses was answered, and right.
    expect(new Set(floodStatuses)).toEqual(new Set([200]));
    expect(otherStatuses.length).toBeGreaterThan(0);
    expect(new Set(otherStatuses)).toEqual(new Set([200]));
    // Once the flood ends, nothing waits and the loop is free again.
    await expect.poll(async () => (await waitingNow()).waiting, { timeout: 10_000 }).toBe(0);
    await expectStillServing(target);
  }, 120_000);
});
