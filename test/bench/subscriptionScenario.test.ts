import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../bench/parseBenchOptions.js';
import { formatSubscriptionResults, subscriptionSummaryLine } from '../../bench/subscriptions/formatSubscriptionResults.js';
import type { SubscriptionRun } from '../../bench/subscriptions/SubscriptionResults.js';
import { summarizeSubscriptionRun, type SubscriptionCounts } from '../../bench/subscriptions/summarizeSubscriptionRun.js';

const counts: SubscriptionCounts = {
  subscribers: 4,
  eventsSent: 5,
  // 18 of the 20 deliveries: two lost.
  latenciesMs: [5, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 100],
  windowSeconds: 2,
  gatewayCpuSeconds: 0.5,
  idleCpuSeconds: 0.02,
  idleSeconds: 2,
  rssBeforeBytes: 100 * 1024 * 1024,
  // Three idle subscriptions more than the first, 20 KiB each.
  rssIdleBytes: 100 * 1024 * 1024 + 3 * 20 * 1024,
};

describe('summarizeSubscriptionRun', () => {
  it('counts deliveries and losses, rates per second, nearest-rank percentiles and RSS per 1,000 idle subscriptions', () => {
    expect(summarizeSubscriptionRun(counts)).toEqual({
      subscribers: 4,
      eventsSent: 5,
      eventsDelivered: 18,
      eventsLost: 2,
      deliveredPerSecond: 9,
      latencyMs: { p50: 9, p99: 100 },
      gatewayCpu: 0.25,
      idleCpu: 0.01,
      rssPerThousandIdleBytes: 20 * 1024 * 1000,
    });
  });

  it('gives the marginal RSS per 1,000 over the second half of the subscribers when the half-way RSS is measured', () => {
    // The second subscriber grew it by 40 KiB (heap sizing, a fixed cost); the last two add 10 KiB each.
    const summary = summarizeSubscriptionRun({ ...counts, rssHalfBytes: 100 * 1024 * 1024 + 40 * 1024, halfSubscribers: 2 });
    expect(summary.rssPerThousandIdleBytes).toBe(20 * 1024 * 1000);
    expect(summary.rssPerThousandIdleMarginalBytes).toBe(10 * 1024 * 1000);
    expect(summarizeSubscriptionRun(counts)).not.toHaveProperty('rssPerThousandIdleMarginalBytes');
  });

  it('never reports duplicates as negative losses, and leaves out what it could not measure', () => {
    const summary = summarizeSubscriptionRun({
      ...counts,
      eventsSent: 1,
      latenciesMs: [1, 2, 3, 4, 5],
      gatewayCpuSeconds: null,
      idleCpuSeconds: null,
      rssIdleBytes: null,
    });
    expect(summary.eventsLost).toBe(0);
    expect(summary).not.toHaveProperty('gatewayCpu');
    expect(summary).not.toHaveProperty('idleCpu');
    expect(summary).not.toHaveProperty('rssPerThousandIdleBytes');
  });

  it('has no latency when nothing was delivered', () => {
    const summary = summarizeSubscriptionRun({ ...counts, latenciesMs: [] });
    expect(summary).toMatchObject({ eventsDelivered: 0, eventsLost: 20, deliveredPerSecond: 0 });
    expect(summary).not.toHaveProperty('latencyMs');
  });
});

describe('formatting the subscription scenario', () => {
  const ok: SubscriptionRun = { gateway: 'portico', name: 'Portico', outcome: 'ok', ...summarizeSubscriptionRun(counts) };
  const failed: SubscriptionRun = { gateway: 'hive-gateway', name: 'Hive Gateway', subscribers: 1000, outcome: 'failed', problem: 'did not start' };

  it('writes one table row per run, a failed one saying why', () => {
    const markdown = formatSubscriptionResults({
      eventsPerSecond: 20,
      durationSeconds: 10,
      subscription: 'subscription { reviewAdded { id } }',
      runs: [ok, failed],
    });
    expect(markdown).toContain('## Subscriptions');
    expect(markdown).toContain('20 reviews written per second for 10 s');
    expect(markdown).toContain('| Portico | 4 | 9 | 9.00 ms | 100.0 ms | 2 | 25 % | 1 % | 20,000 KiB | n/a |');
    expect(markdown).toContain('| Hive Gateway | 1,000 | failed: did not start |');
  });

  it('prints one console line per run', () => {
    expect(subscriptionSummaryLine(ok)).toBe(
      'Portico, 4 subscribers: 9 events/s delivered, p50 9.00 ms, p99 100.0 ms, 2 lost, CPU 25 %, 20,000 KiB RSS per 1,000 idle (n/a over the second half)',
    );
    expect(subscriptionSummaryLine(failed)).toBe('Hive Gateway, 1,000 subscribers: FAILED: did not start');
    expect(subscriptionSummaryLine({ ...ok, writesFailed: 2 })).toContain('2 lost (of 5 events: 2 writes failed)');
  });
});

describe('bench options for the subscription scenario', () => {
  it('runs 1,000 and 10,000 subscribers in a full run, 1,000 with --quick, and is chosen with --only subscriptions', () => {
    expect(parseBenchOptions([])).toMatchObject({ subscriptions: true, subscribers: [1000, 10000], subscriptionEventsPerSecond: 20, subscriptionSeconds: 10 });
    expect(parseBenchOptions(['--quick'])).toMatchObject({ subscribers: [1000], subscriptionSeconds: 3 });
    expect(parseBenchOptions(['--only', 'subscriptions'])).toMatchObject({ subscriptions: true, throughput: false, attack: false, name: 'partial' });
    expect(parseBenchOptions(['--subscribers', '10,50', '--event-rate', '5']).subscribers).toEqual([10, 50]);
    expect(parseBenchOptions(['--no-subscriptions']).subscriptions).toBe(false);
  });

  it('refuses a number of subscribers that is not a positive whole number', () => {
    expect(() => parseBenchOptions(['--subscribers', '10,-1'])).toThrow(/positive whole numbers/);
    expect(() => parseBenchOptions(['--subscribers', '1.5'])).toThrow(/positive whole numbers/);
  });
});
