import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, type BreakerState } from '../../../gateway/resilience/createCircuitBreaker.js';
import { createInflightDedup } from '../../../gateway/resilience/createInflightDedup.js';
import { createRetryBudget } from '../../../gateway/resilience/createRetryBudget.js';
import { retryDelay } from '../../../gateway/resilience/retryDelay.js';

// A clock the test moves by hand: the breaker and the budget take `now` so that no test waits.
function manualClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe('createCircuitBreaker', () => {
  const setup = () => {
    const clock = manualClock();
    const states: BreakerState[] = [];
    const breaker = createCircuitBreaker({ enabled: true, failureThreshold: 3, resetTimeoutMs: 1000, now: clock.now, onStateChange: (s) => states.push(s) });
    return { clock, states, breaker };
  };

  it('opens after failureThreshold consecutive failures and then refuses at once', () => {
    const { breaker, states } = setup();
    for (let i = 0; i < 2; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state()).toBe('closed');
    breaker.tryAcquire();
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(states).toEqual(['open']);
  });

  it('a success in between resets the count', () => {
    const { breaker } = setup();
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
  });

  it('lets one probe through after resetTimeoutMs; its success closes the circuit', () => {
    const { breaker, clock, states } = setup();
    for (let i = 0; i < 3; i += 1) breaker.recordFailure();
    clock.advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(false); // one probe at a time
    breaker.recordSuccess();
    expect(breaker.tryAcquire()).toBe(true);
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe opens the circuit for another resetTimeoutMs', () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 3; i += 1) breaker.recordFailure();
    clock.advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    clock.advance(999);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('a probe that told nothing (client left) lets the next request probe', () => {
    const { breaker, clock } = setup();
    for (let i = 0; i < 3; i += 1) breaker.recordFailure();
    clock.advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('never opens when disabled', () => {
    const breaker = createCircuitBreaker({ enabled: false, failureThreshold: 1, resetTimeoutMs: 1000 });
    for (let i = 0; i < 10; i += 1) breaker.recordFailure();
    expect(breaker.tryAcquire()).toBe(true);
  });
});

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

describe('retryDelay', () => {
  const config = { initialDelayMs: 100, maxDelayMs: 1000 };
  it('doubles the ceiling each retry, capped, with full jitter', () => {
    expect([1, 2, 3, 4, 5].map((retry) => retryDelay(retry, config, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(retryDelay(3, config, () => 0)).toBe(0);
    expect(retryDelay(3, config, () => 0.5)).toBe(200);
  });
});

describe('createInflightDedup', () => {
  const deferred = () => {
    let resolve!: (value: { n: number[] }) => void;
    const promise = new Promise<{ n: number[] }>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('runs once for callers with the same key and gives the joiners their own copy', async () => {
    const dedup = createInflightDedup<{ n: number[] }>((value) => structuredClone(value));
    const call = deferred();
    let starts = 0;
    let joins = 0;
    const start = () => {
      starts += 1;
      return call.promise;
    };
    const a = dedup.run('k', undefined, start, () => joins++);
    const b = dedup.run('k', undefined, start, () => joins++);
    const other = dedup.run('other', undefined, async () => ({ n: [9] }));
    call.resolve({ n: [1] });
    const [ra, rb] = await Promise.all([a, b]);
    expect(starts).toBe(1);
    expect(joins).toBe(1);
    expect(rb).toEqual(ra);
    expect(rb).not.toBe(ra);
    expect(await other).toEqual({ n: [9] });
    expect(dedup.size()).toBe(0);
  });

  it('keeps the shared run while one caller still waits, aborts it when the last one leaves', async () => {
    const dedup = createInflightDedup<{ n: number[] }>((value) => value);
    let sharedSignal: AbortSignal | undefined;
    const start = (signal: AbortSignal) => {
      sharedSignal = signal;
      return new Promise<{ n: number[] }>(() => {});
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = dedup.run('k', first.signal, start);
    const b = dedup.run('k', second.signal, start);
    await Promise.resolve();
    first.abort();
    await expect(a).rejects.toThrow();
    expect(sharedSignal?.aborted).toBe(false);
    second.abort();
    await expect(b).rejects.toThrow();
    expect(sharedSignal?.aborted).toBe(true);
  });
});
