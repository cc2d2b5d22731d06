import { describe, expect, it } from 'vitest';
import { createRestartPolicy } from '../../../gateway/runtime/createRestartPolicy.js';

/** A policy on a clock the test moves. */
function policyAt(start = 0) {
  let now = start;
  const policy = createRestartPolicy({ now: () => now });
  return { policy, advance: (ms: number) => (now += ms) };
}

describe('createRestartPolicy', () => {
  it('replaces the first death at once, and backs off exponentially for deaths close together, up to 10 s', () => {
    const { policy, advance } = policyAt();
    const delays: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      policy.workerListened();
      const decision = policy.workerDied(true);
      if (!decision.restart) throw new Error('expected a restart');
      delays.push(decision.delayMs);
      advance(1000);
    }
    expect(delays).toEqual([0, 250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('forgets deaths older than a minute', () => {
    const { policy, advance } = policyAt();
    policy.workerDied(true);
    advance(30_000);
    expect(policy.workerDied(true)).toEqual({ restart: true, delayMs: 250 });
    advance(60_001);
    expect(policy.workerDied(true)).toEqual({ restart: true, delayMs: 0 });
  });

  it('gives up after 5 workers in a row die before they listen', () => {
    const { policy, advance } = policyAt();
    const decisions = [];
    for (let i = 0; i < 5; i += 1) {
      decisions.push(policy.workerDied(false));
      advance(20_000);
    }
    expect(decisions.slice(0, 4).every((decision) => decision.restart)).toBe(true);
    expect(decisions[4]).toEqual({ restart: false, reason: '5 workers in a row died before they could listen' });
  });

  it('starts counting start failures again once a worker listens', () => {
    const { policy } = policyAt();
    for (let i = 0; i < 4; i += 1) policy.workerDied(false);
    policy.workerListened();
    for (let i = 0; i < 4; i += 1) expect(policy.workerDied(false).restart).toBe(true);
    // Deaths of workers that had listened are replaced, however many.
    for (let i = 0; i < 20; i += 1) expect(policy.workerDied(true).restart).toBe(true);
  });
});
