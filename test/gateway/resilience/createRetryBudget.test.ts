import { describe, expect, it } from 'vitest';
import { createRetryBudget } from '../../../gateway/resilience/createRetryBudget.js';

// A clock the test moves by hand: the budget takes `now` so that no test waits.
function manualClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe('createRetryBudget', () => {
  it('allows budgetMinPerSecond × 10 retries with no traffic, then refuses', () => {
    const clock = manualClock();
    const budget = createRetryBudget({ budgetPercent: 0, budgetMinPerSecond: 1, now: clock.now });
    const granted = Array.from({ length: 15 }, () => budget.tryWithdraw()).filter(Boolean).length;
    expect(granted).toBe(10);
  });

  it('earns budgetPercent of the requests made', () => {
    const clock = manualClock();
    const budget = createRetryBudget({ budgetPercent: 20, budgetMinPerSecond: 0, now: clock.now });
    for (let i = 0; i < 50; i += 1) budget.recordRequest();
    const granted = Array.from({ length: 20 }, () => budget.tryWithdraw()).filter(Boolean).length;
    expect(granted).toBe(10);
  });

  it('forgets requests and retries older than ten seconds', () => {
    const clock = manualClock();
    const budget = createRetryBudget({ budgetPercent: 0, budgetMinPerSecond: 1, now: clock.now });
    while (budget.tryWithdraw());
    clock.advance(10_000);
    expect(budget.tryWithdraw()).toBe(true);
  });
});
