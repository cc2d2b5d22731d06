import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { burstOf, turnDelayOf } from '../../gateway/traffic/turnDelayOf.js';

const rule = { limit: 100, windowSeconds: 10 };

/** What a fixed-window counter says of the `consumed`-th unit, `elapsedMs` into its window. */
const counted = (consumed: number, elapsedMs: number) => ({ consumedPoints: consumed, msBeforeNext: rule.windowSeconds * 1000 - elapsedMs });

describe('turnDelayOf', () => {
  it('lets a burst through at once, then spaces operations at the rule rate', () => {
    // 100 per 10 s: one every 100 ms after a burst of 10.
    expect(turnDelayOf(rule, counted(1, 0), 1, 10)).toBe(0);
    expect(turnDelayOf(rule, counted(10, 0), 1, 10)).toBe(0);
    expect(turnDelayOf(rule, counted(11, 0), 1, 10)).toBe(100);
    expect(turnDelayOf(rule, counted(12, 0), 1, 10)).toBe(200);
    // Later in the window, the time already passed counts.
    expect(turnDelayOf(rule, counted(12, 150), 1, 10)).toBe(50);
    expect(turnDelayOf(rule, counted(12, 5000), 1, 10)).toBe(0);
    // The last of the window's limit still has its turn within the window.
    expect(turnDelayOf(rule, counted(100, 0), 1, 10)).toBe(9000);
  });

  it('runs an expensive operation without waiting for its own cost: the ones after it wait for it', () => {
    const cost = { limit: 10_000, windowSeconds: 10 };
    const burst = burstOf(cost, 10);
    expect(burst).toBe(1000);
    expect(turnDelayOf(cost, { consumedPoints: 4200, msBeforeNext: 10_000 }, 4200, burst)).toBe(0);
    // 4,200 spent before it, 1,000 of them at once: 3,201 units at one per ms.
    expect(turnDelayOf(cost, { consumedPoints: 4210, msBeforeNext: 10_000 }, 10, burst)).toBe(3201);
  });

  it('never lets more start by a time than the burst and the rate allow (generated arrivals)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 9999 }), { minLength: 1, maxLength: 300 }),
        (limit, burstPercent, arrivals) => {
          const paced = { limit, windowSeconds: 10 };
          const burst = burstOf(paced, burstPercent);
          const times = arrivals.sort((a, b) => a - b).slice(0, limit);
          const starts = times.map((at, index) => at + turnDelayOf(paced, { consumedPoints: index + 1, msBeforeNext: 10_000 - at }, 1, burst));
          for (const [index, start] of starts.entries()) {
            // Within its window, in order, never before it arrived, at once within the burst.
            expect(start).toBeLessThan(10_000);
            expect(start).toBeGreaterThanOrEqual(times[index]!);
            if (index > 0) expect(start).toBeGreaterThanOrEqual(starts[index - 1]!);
            if (index < burst) expect(start).toBe(times[index]);
            // Started by `start`: this one and all before it; the burst and the rate allow no more.
            expect(index + 1).toBeLessThanOrEqual(burst + Math.floor((start * limit) / 10_000) + 1);
          }
        },
      ),
    );
  });
});

describe('burstOf', () => {
  it('is the share of the limit, at least one', () => {
    expect(burstOf({ limit: 600, windowSeconds: 60 }, 10)).toBe(60);
    expect(burstOf({ limit: 5, windowSeconds: 60 }, 10)).toBe(1);
    expect(burstOf({ limit: 5, windowSeconds: 60 }, 100)).toBe(5);
  });
});
