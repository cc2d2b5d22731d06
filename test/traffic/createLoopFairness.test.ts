import { describe, expect, it } from 'vitest';
import { createLoopFairness, type LoopTimes } from '../../gateway/traffic/createLoopFairness.js';

/** A loop whose busy and idle time the test advances. */
function fakeLoop() {
  const times: LoopTimes = { active: 0, idle: 0 };
  return {
    loopTimes: () => ({ ...times }),
    advance(busyMs: number, idleMs: number) {
      times.active += busyMs;
      times.idle += idleMs;
    },
  };
}

describe('createLoopFairness', () => {
  it('limits an address over its share to one request in progress while the loop is saturated, and no other', () => {
    const loop = fakeLoop();
    let samples = 0;
    const fairness = createLoopFairness({ saturatedAbove: 0.9, halfLifeMs: 1000, loopTimes: loop.loopTimes, timer: false, onSample: () => (samples += 1) });
    for (let i = 0; i < 8; i += 1) fairness.shares.ready('attacker');
    fairness.shares.ready('client');
    loop.advance(48, 2);
    fairness.sample();
    expect(samples).toBe(1);
    expect(fairness.saturated()).toBe(true);
    expect(fairness.limitOf('attacker', 8)).toBe(1);
    expect(fairness.limitOf('client', 8)).toBe(8);
    expect(fairness.limitOf('newcomer', 8)).toBe(8);
  });

  it('holds nobody while the loop has time to spare, however unequal the shares', () => {
    const loop = fakeLoop();
    const fairness = createLoopFairness({ saturatedAbove: 0.9, halfLifeMs: 1000, loopTimes: loop.loopTimes, timer: false });
    for (let i = 0; i < 8; i += 1) fairness.shares.ready('attacker');
    fairness.shares.ready('client');
    loop.advance(40, 10);
    fairness.sample();
    expect(fairness.saturated()).toBe(false);
    expect(fairness.limitOf('attacker', 8)).toBe(8);
  });

  it('lets the address go again once the loop is no longer saturated', () => {
    const loop = fakeLoop();
    const fairness = createLoopFairness({ saturatedAbove: 0.9, halfLifeMs: 1000, loopTimes: loop.loopTimes, timer: false });
    fairness.shares.ready('attacker');
    fairness.shares.ready('attacker');
    fairness.shares.ready('client');
    loop.advance(50, 0);
    fairness.sample();
    expect(fairness.limitOf('attacker', 8)).toBe(1);
    loop.advance(5, 45);
    fairness.sample();
    expect(fairness.limitOf('attacker', 8)).toBe(8);
  });

  it('counts a sample in which no time passed as not saturated', () => {
    const loop = fakeLoop();
    const fairness = createLoopFairness({ saturatedAbove: 0.9, halfLifeMs: 1000, loopTimes: loop.loopTimes, timer: false });
    fairness.sample();
    expect(fairness.saturated()).toBe(false);
  });
});
