import { describe, expect, it } from 'vitest';
import { createLoopShares } from '../../gateway/traffic/createLoopShares.js';

describe('createLoopShares', () => {
  it('divides busy time among the ready requests: the address with more of them is over its share, the other under', () => {
    const shares = createLoopShares({ halfLifeMs: 1000 });
    for (let i = 0; i < 3; i += 1) shares.ready('attacker');
    shares.ready('client');
    shares.charge(40, 50);
    expect(shares.overShare('attacker')).toBe(true);
    expect(shares.overShare('client')).toBe(false);
    expect(shares.size()).toBe(2);
  });

  it('charges nothing to a request while it is not ready (waiting on subgraphs), so an address whose requests wait is under its share', () => {
    const shares = createLoopShares({ halfLifeMs: 1000 });
    // The client has 4 requests open, all executing (unready); the attacker 1, always ready.
    for (let i = 0; i < 4; i += 1) {
      shares.ready('client');
      shares.unready('client');
    }
    shares.ready('attacker');
    shares.charge(45, 50);
    // The client had one ready request for a moment: a small charge, then it waits again.
    shares.ready('client');
    shares.charge(1, 50);
    shares.unready('client');
    shares.charge(45, 50);
    expect(shares.overShare('attacker')).toBe(true);
    expect(shares.overShare('client')).toBe(false);
  });

  it('holds nobody alone over its share: with one address there is nobody to be fair to', () => {
    const shares = createLoopShares({ halfLifeMs: 1000 });
    shares.ready('only');
    shares.charge(50, 50);
    expect(shares.overShare('only')).toBe(false);
    expect(shares.overShare('unknown')).toBe(false);
  });

  it('lets charges fade with the half-life and forgets an address whose charge became negligible', () => {
    const shares = createLoopShares({ halfLifeMs: 100 });
    shares.ready('old');
    shares.charge(50, 50);
    shares.unready('old');
    shares.ready('new');
    // 2 s later: the old charge is 2^-20 of what it was, the new one is all there is.
    shares.charge(50, 2000);
    expect(shares.size()).toBe(1);
    expect(shares.overShare('new')).toBe(false);
  });

  it('fades the past: an address that stopped is under the share of one that goes on, once enough half-lives pass', () => {
    const shares = createLoopShares({ halfLifeMs: 100 });
    shares.ready('a');
    shares.charge(100, 50);
    shares.unready('a');
    shares.ready('b');
    shares.charge(10, 50);
    expect(shares.overShare('a')).toBe(true);
    for (let i = 0; i < 5; i += 1) shares.charge(10, 50);
    expect(shares.overShare('a')).toBe(false);
    expect(shares.overShare('b')).toBe(true);
  });

  it('keeps at most maxAddresses charges, forgetting the one charged longest ago', () => {
    const shares = createLoopShares({ halfLifeMs: 1_000_000, maxAddresses: 3 });
    for (const address of ['a', 'b', 'c', 'd', 'e']) {
      shares.ready(address);
      shares.charge(10, 0);
      shares.unready(address);
    }
    expect(shares.size()).toBe(3);
    // 'a' and 'b' were forgotten; the charged ones remain and each holds an equal share.
    for (const address of ['c', 'd', 'e']) expect(shares.overShare(address)).toBe(false);
  });

  it('ignores an unready without a ready, so hostile interleavings cannot drive a count negative', () => {
    const shares = createLoopShares({ halfLifeMs: 1000 });
    shares.unready('x');
    shares.ready('y');
    shares.charge(10, 10);
    expect(shares.size()).toBe(1);
  });

  it('keeps addresses such as __proto__ and constructor as plain keys', () => {
    const shares = createLoopShares({ halfLifeMs: 1000 });
    shares.ready('__proto__');
    shares.ready('__proto__');
    shares.ready('constructor');
    shares.charge(30, 50);
    expect(shares.overShare('__proto__')).toBe(true);
    expect(shares.overShare('constructor')).toBe(false);
  });
});
