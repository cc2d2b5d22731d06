import { performance } from 'node:perf_hooks';
import { createLoopShares, type LoopShares } from './createLoopShares.js';

/** The event loop's cumulative busy and idle time (ms), as `performance.eventLoopUtilization()` gives it. */
export interface LoopTimes {
  active: number;
  idle: number;
}

export interface LoopFairnessOptions {
  /** The loop counts as saturated over a sample in which it was busy at least this part of the time (0–1). */
  saturatedAbove: number;
  /** How fast an address's charge fades (see createLoopShares). */
  halfLifeMs: number;
  /** How often the loop is sampled. @default 50 */
  sampleMs?: number;
  /** The loop's times; injected by tests. @default performance.eventLoopUtilization */
  loopTimes?: () => LoopTimes;
  /** Told after each sample, when an address's limit may have changed (the gate lets its waiting requests in). */
  onSample?: () => void;
  /** False in tests that call `sample` themselves. @default true */
  timer?: boolean;
}

export interface LoopFairness {
  /** How many requests `address` may have in progress: one while the loop is saturated and it is over its share, else `maxInFlight`. */
  limitOf(address: string, maxInFlight: number): number;
  /** Accounting of requests in progress (see createLoopShares). */
  readonly shares: Pick<LoopShares, 'ready' | 'unready'>;
  /** Takes one sample: decides whether the loop is saturated, and lets the charges fade. */
  sample(): void;
  /** Whether the last sample found the loop saturated. */
  saturated(): boolean;
  /** Stops sampling. */
  close(): void;
}

const DEFAULT_SAMPLE_MS = 50;

/**
 * CPU fairness between client addresses: while the event loop is saturated, an address that has
 * taken more than an equal share of it recently gets only one request in progress at a time
 * (its others wait at the address gate), so that an address whose requests are always ready to
 * run (a flood of costly documents or of refusals) does not take the loop from one whose
 * requests mostly wait on subgraphs. An address under its share is never held, and while the
 * loop has time to spare nothing is held at all. Costs a timer every `sampleMs` (reading the
 * loop's times) and two Map updates per request.
 */
export function createLoopFairness(options: LoopFairnessOptions): LoopFairness {
  const loopTimes = options.loopTimes ?? (() => performance.eventLoopUtilization());
  let last = loopTimes();
  const shares = createLoopShares({ halfLifeMs: options.halfLifeMs, busyNow: () => loopTimes().active });
  let saturated = false;

  const sample = () => {
    const now = loopTimes();
    const busy = now.active - last.active;
    const elapsed = busy + (now.idle - last.idle);
    last = now;
    saturated = elapsed > 0 && busy / elapsed >= options.saturatedAbove;
    shares.fade(elapsed);
    options.onSample?.();
  };
  const timer = options.timer === false ? undefined : setInterval(sample, options.sampleMs ?? DEFAULT_SAMPLE_MS);
  // Never what keeps the process alive.
  timer?.unref();

  return {
    limitOf: (address, maxInFlight) => (saturated && shares.overShare(address) ? 1 : maxInFlight),
    shares,
    sample,
    saturated: () => saturated,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
