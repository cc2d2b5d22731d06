import { percentile } from '../load/percentile.js';
import type { SubscriptionRun } from './SubscriptionResults.js';

/** What one run counted, before it is summarized. */
export interface SubscriptionCounts {
  subscribers: number;
  eventsSent: number;
  /** One latency per delivery, in milliseconds: their count is the number of deliveries. */
  latenciesMs: number[];
  /** From the first event sent to the end of the drain. */
  windowSeconds: number;
  /** Gateway CPU seconds while events flowed (over `windowSeconds`); null without /proc. */
  gatewayCpuSeconds: number | null;
  /** Gateway CPU seconds over an idle window of `idleSeconds`; null without /proc. */
  idleCpuSeconds: number | null;
  idleSeconds: number;
  /**
   * Gateway RSS with one subscription open (its caches warm) and with every one open and idle;
   * null without /proc. Their difference is the cost of `subscribers − 1` idle subscriptions.
   */
  rssBeforeBytes: number | null;
  rssIdleBytes: number | null;
  /** RSS with `halfSubscribers` open (and idle); absent: not measured. */
  rssHalfBytes?: number | null;
  halfSubscribers?: number;
}

/** The summary of one gateway's run: rates, latency percentiles, losses, CPU and memory per subscription. */
export function summarizeSubscriptionRun(counts: SubscriptionCounts): Omit<SubscriptionRun, 'gateway' | 'name' | 'outcome' | 'problem'> {
  const delivered = counts.latenciesMs.length;
  const sorted = Float64Array.from(counts.latenciesMs).sort();
  const perSecond = (value: number | null, seconds: number) => (value === null || seconds <= 0 ? undefined : value / seconds);
  const rssGrowth = counts.rssBeforeBytes === null || counts.rssIdleBytes === null ? null : counts.rssIdleBytes - counts.rssBeforeBytes;
  const gatewayCpu = perSecond(counts.gatewayCpuSeconds, counts.windowSeconds);
  const idleCpu = perSecond(counts.idleCpuSeconds, counts.idleSeconds);
  return {
    subscribers: counts.subscribers,
    eventsSent: counts.eventsSent,
    eventsDelivered: delivered,
    // More deliveries than expected would be duplicates: they are not "negative losses".
    eventsLost: Math.max(0, counts.eventsSent * counts.subscribers - delivered),
    deliveredPerSecond: counts.windowSeconds > 0 ? delivered / counts.windowSeconds : 0,
    ...(delivered > 0 ? { latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) } } : {}),
    ...(gatewayCpu === undefined ? {} : { gatewayCpu }),
    ...(idleCpu === undefined ? {} : { idleCpu }),
    ...(rssGrowth === null || counts.subscribers < 2 ? {} : { rssPerThousandIdleBytes: (rssGrowth / (counts.subscribers - 1)) * 1000 }),
    ...(counts.rssHalfBytes == null || counts.rssIdleBytes === null || counts.halfSubscribers === undefined || counts.subscribers - counts.halfSubscribers < 1
      ? {}
      : { rssPerThousandIdleMarginalBytes: ((counts.rssIdleBytes - counts.rssHalfBytes) / (counts.subscribers - counts.halfSubscribers)) * 1000 }),
  };
}
