import { describe, expect, it } from 'vitest';
import { createLoopShares } from '../../gateway/traffic/createLoopShares.js';

/** Shares over a loop whose busy time the test advances (`busy(ms)`), and `fade` with a fake clock. */
function sharesOf(options: { halfLifeMs?: number; maxAddresses?: number } = {}) {
  let busyMs = 0;
  const shares = createLoopShares({
    halfLifeMs: options.halfLifeMs ?? 1000,
    busyNow: () => busyMs,
    ...(options.maxAddresses ? { maxAddresses: options.maxAddresses } : {}),
  });
  return {
    shares,
    busy: (ms: number) => {
      busyMs += ms;
    },
  };
}

describe('createLoopShares', () => {
  it('divides busy time among the ready requests: the address with more of them is over its share, the other under', () => {
    const { shares, busy } = sharesOf();
    for (let i = 0; i < 3; i += 1) shares.ready('attacker');
    shares.ready('client');
    busy(40);
    shares.fade(50);
    expect(shares.overShare('attacker')).toBe(true);
    expect(shares.overShare('client')).toBe(false);
    expect(shares.size()).toBe(2);
  });

  it('charges a request that starts and ends between two samples: the loop time spent while it was ready', () => {
    const { shares, busy } = sharesOf();
    shares.ready('attacker');
    busy(10);
    // The client's request comes and goes between samples, sharing 2 ms with the attacker's.
    shares.ready('client');
    busy(2);
    shares.unready('client');
    busy(30);
    shares.fade(50);
    expect(shares.overShare('attacker')).toBe(true);
    expect(shares.overShare('client')).toBe(false);
  });

  it('charges nothing to a request while it waits on subgraphs, so an address whose requests mostly wait is under its share', () => {
    const { shares, busy } = sharesOf();
    // The client has 4 requests open: each ready a moment, then waiting on subgraphs (unready).
    for (let i = 0; i < 4; i += 1) {
      shares.ready('client');
      busy(1);
      shares.unready('client');
    }
    shares.ready('attacker');
    busy(45);
    shares.fade(50);
    expect(shares.overShare('attacker')).toBe(true);
    expect(shares.overShare('client')).toBe(false);
  });

  it('counts an address that sends little, however little, as one among whom the loop is shared', () => {
    const { shares, busy } = sharesOf();
    shares.ready('attacker');
    shares.ready('client');
    shares.unready('client');
    busy(10_000);
    shares.fade(50);
    expect(shares.size()).toBe(2);
    expect(shares.overShare('attacker')).toBe(true);
  });

  it('holds nobody alone over its share: with one address there is nobody to be fair to', () => {
    const { shares, busy } = sharesOf();
    shares.ready('only');
    busy(50);
    shares.fade(50);
    expect(shares.overShare('only')).toBe(false);
    expect(shares.overShare('unknown')).toBe(false);
  });

  it('charges nobody for busy time while no request is ready', () => {
    const { shares, busy } = sharesOf();
    shares.ready('a');
    shares.unready('a');
    shares.ready('b');
    shares.unready('b');
    busy(100);
    shares.fade(50);
    expect(shares.overShare('a')).toBe(false);
    expect(shares.overShare('b')).toBe(false);
  });

  it('lets charges fade: an address that stopped is under the share of one that goes on, once enough half-lives pass', () => {
    const { shares, busy } = sharesOf({ halfLifeMs: 100 });
    shares.ready('a');
    busy(100);
    shares.fade(50);
    shares.unready('a');
    shares.ready('b');
    busy(10);
    shares.fade(50);
    expect(shares.overShare('a')).toBe(true);
    for (let i = 0; i < 5; i += 1) {
      busy(10);
      shares.fade(50);
    }
    expect(shares.overShare('a')).toBe(false);
    expect(shares.overShare('b')).toBe(true);
  });

  it('forgets an address with no request for eight half-lives, but never one with a request being worked on', () => {
    const { shares, busy } = sharesOf({ halfLifeMs: 100 });
    shares.ready('gone');
    shares.ready('working');
    busy(50);
    shares.unready('gone');
    shares.fade(700);
    expect(shares.size()).toBe(2);
    shares.fade(200);
    expect(shares.size()).toBe(1);
    expect(shares.overShare('working')).toBe(false);
  });

  it('keeps at most maxAddresses, forgetting the one seen longest ago', () => {
    const { shares, busy } = sharesOf({ halfLifeMs: 1_000_000, maxAddresses: 3 });
    for (const address of ['a', 'b', 'c', 'd', 'e']) {
      shares.ready(address);
      busy(10);
      shares.unready(address);
    }
    expect(shares.size()).toBe(3);
    // The three kept were charged alike: none is over an equal share.
    for (const address of ['c', 'd', 'e']) expect(shares.overShare(address)).toBe(false);
  });

  it('ignores an unready without a ready, so hostile interleavings cannot drive a count negative', () => {
    const { shares, busy } = sharesOf();
    shares.unready('x');
    shares.ready('y');
    busy(10);
    shares.fade(10);
    expect(shares.size()).toBe(1);
  });

  it('keeps addresses such as __proto__ and constructor as plain keys', () => {
    const { shares, busy } = sharesOf();
    shares.ready('__proto__');
    shares.ready('__proto__');
    shares.ready('constructor');
    busy(30);
    shares.fade(50);
    expect(shares.overShare('__proto__')).toBe(true);
    expect(shares.overShare('constructor')).toBe(false);
  });
});
