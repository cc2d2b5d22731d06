import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SubgraphHealth } from '../../../gateway/resilience/classifySubgraphFailure.js';
import { createSubgraphBreaker, type BreakerState } from '../../../gateway/resilience/createSubgraphBreaker.js';
import type { AttemptOutcome } from '../../../gateway/subgraphRequests/createSubgraphSender.js';

// Cockatiel reads Date.now(): the test moves the clock by hand, so that no test waits.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

const answered: AttemptOutcome = { ok: true, raw: '{}' };
const failed = (health: SubgraphHealth): AttemptOutcome => ({
  ok: false,
  failure: { error: new GraphQLError('failed', { extensions: { code: 'SUBGRAPH_ERROR', serviceName: 'products' } }), retryable: true, health },
});

function setup(enabled = true) {
  const states: BreakerState[] = [];
  const breaker = createSubgraphBreaker('products', { enabled, failureThreshold: 3, resetTimeoutMs: 1000 }, (state) => states.push(state));
  let attempts = 0;
  /** Runs one attempt that ends with `outcome`; what the caller got back. */
  const run = (outcome: AttemptOutcome) =>
    breaker.run(async () => {
      attempts += 1;
      return outcome;
    });
  const code = async (outcome: AttemptOutcome) => {
    const got = await run(outcome);
    return got.ok ? 'answered' : got.failure.error.extensions.code;
  };
  return { breaker, states, run, code, attempts: () => attempts };
}

describe('createSubgraphBreaker', () => {
  it('opens after failureThreshold consecutive failures the subgraph caused, then refuses at once without an attempt', async () => {
    const { breaker, states, run, code, attempts } = setup();
    await run(failed('unhealthy'));
    await run(failed('unhealthy'));
    expect(breaker.state()).toBe('closed');
    expect(await run(failed('unhealthy'))).toEqual(failed('unhealthy'));
    expect(breaker.state()).toBe('open');
    expect(await code(answered)).toBe('SUBGRAPH_UNAVAILABLE');
    const refused = await run(answered);
    expect(refused).toMatchObject({ ok: false, failure: { retryable: false, health: 'unknown' } });
    if (!refused.ok) expect(refused.failure.error.message).toBe('Subgraph "products" is unavailable: its circuit breaker is open after repeated failures');
    expect(attempts()).toBe(3);
    expect(states).toEqual(['open']);
  });

  it('an answer, or a refusal the subgraph gave on purpose (4xx), resets the count', async () => {
    const { breaker, run } = setup();
    for (const between of [answered, failed('healthy')]) {
      await run(failed('unhealthy'));
      await run(failed('unhealthy'));
      await run(between);
    }
    await run(failed('unhealthy'));
    await run(failed('unhealthy'));
    expect(breaker.state()).toBe('closed');
  });

  it('never counts a failure the caller or the gateway caused, however many', async () => {
    const { breaker, run, states } = setup();
    await run(failed('unhealthy'));
    await run(failed('unhealthy'));
    for (let i = 0; i < 10; i += 1) expect(await run(failed('unknown'))).toEqual(failed('unknown'));
    expect(breaker.state()).toBe('closed');
    // Nor does it reset the count: the subgraph's own failures still add up.
    await run(failed('unhealthy'));
    expect(breaker.state()).toBe('open');
    expect(states).toEqual(['open']);
  });

  it('lets one probe through after resetTimeoutMs, fails the others fast meanwhile; its success closes the circuit', async () => {
    const { breaker, run, code, states } = setup();
    for (let i = 0; i < 3; i += 1) await run(failed('unhealthy'));
    advance(999);
    expect(await code(answered)).toBe('SUBGRAPH_UNAVAILABLE');
    advance(1);
    let finishProbe!: (outcome: AttemptOutcome) => void;
    const probe = breaker.run(() => new Promise<AttemptOutcome>((resolve) => (finishProbe = resolve)));
    expect(breaker.state()).toBe('half-open');
    expect(await code(answered)).toBe('SUBGRAPH_UNAVAILABLE');
    finishProbe(answered);
    expect(await probe).toEqual(answered);
    expect(breaker.state()).toBe('closed');
    expect(await code(answered)).toBe('answered');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe opens the circuit for another resetTimeoutMs', async () => {
    const { breaker, run, code, states } = setup();
    for (let i = 0; i < 3; i += 1) await run(failed('unhealthy'));
    advance(1000);
    await run(failed('unhealthy'));
    expect(breaker.state()).toBe('open');
    advance(999);
    expect(await code(answered)).toBe('SUBGRAPH_UNAVAILABLE');
    advance(1);
    expect(await code(answered)).toBe('answered');
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('a probe that told nothing (the client left) lets the next request probe, and the circuit stays half-open', async () => {
    const { breaker, run, code, states, attempts } = setup();
    for (let i = 0; i < 3; i += 1) await run(failed('unhealthy'));
    advance(1000);
    expect(await run(failed('unknown'))).toEqual(failed('unknown'));
    expect(breaker.state()).toBe('half-open');
    expect(await run(failed('unknown'))).toEqual(failed('unknown'));
    expect(attempts()).toBe(5);
    // It neither closed the circuit (a caller cannot close it for everyone) nor opened it.
    expect(states).toEqual(['open', 'half-open']);
    await run(failed('unhealthy'));
    expect(breaker.state()).toBe('open');
    expect(await code(answered)).toBe('SUBGRAPH_UNAVAILABLE');
  });

  it('a probe the subgraph refused on purpose (4xx) closes the circuit', async () => {
    const { breaker, run } = setup();
    for (let i = 0; i < 3; i += 1) await run(failed('unhealthy'));
    advance(1000);
    await run(failed('healthy'));
    expect(breaker.state()).toBe('closed');
  });

  it('counts an attempt started while closed when it ends later: its failure reopens a half-open circuit, and the probe then tells nothing', async () => {
    const { breaker, run, code, states } = setup();
    let finishLate!: (outcome: AttemptOutcome) => void;
    const late = breaker.run(() => new Promise<AttemptOutcome>((resolve) => (finishLate = resolve)));
    for (let i = 0; i < 3; i += 1) await run(failed('unhealthy'));
    advance(1000);
    let finishProbe!: (outcome: AttemptOutcome) => void;
    const probe = breaker.run(() => new Promise<AttemptOutcome>((resolve) => (finishProbe = resolve)));
    expect(breaker.state()).toBe('half-open');
    finishLate(failed('unhealthy'));
    await late;
    expect(breaker.state()).toBe('open');
    finishProbe(answered);
    expect(await probe).toEqual(answered);
    // The probe's success came from a circuit that has moved on: it stays open for resetTimeoutMs.
    expect(breaker.state()).toBe('open');
    expect(await code(answered)).toBe('SUBGRAPH_UNAVAILABLE');
    advance(1000);
    expect(await code(answered)).toBe('answered');
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('never opens when disabled', async () => {
    const { breaker, run, code, states } = setup(false);
    for (let i = 0; i < 10; i += 1) await run(failed('unhealthy'));
    expect(await code(answered)).toBe('answered');
    expect(breaker.state()).toBe('closed');
    expect(states).toEqual([]);
  });

  it('for any run of outcomes, opens exactly when failureThreshold failures the subgraph caused follow one another, whatever the others in between', async () => {
    const outcome = fc.constantFrom<AttemptOutcome>(answered, failed('healthy'), failed('unhealthy'), failed('unknown'));
    await fc.assert(
      fc.asyncProperty(fc.array(outcome, { maxLength: 30 }), async (outcomes) => {
        const { breaker, run } = setup();
        // The model: a count of the subgraph's own failures, reset by whatever shows it up.
        let consecutive = 0;
        for (const next of outcomes) {
          const open = consecutive >= 3;
          const got = await run(next);
          if (open) {
            expect(got).toMatchObject({ ok: false, failure: { error: { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } } } });
            continue;
          }
          expect(got).toBe(next);
          if (next.ok || next.failure.health === 'healthy') consecutive = 0;
          else if (next.failure.health === 'unhealthy') consecutive += 1;
          expect(breaker.state()).toBe(consecutive >= 3 ? 'open' : 'closed');
        }
      }),
      { numRuns: 100 },
    );
  });
});
