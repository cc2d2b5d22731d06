export interface LoopSharesOptions {
  /** How fast a charge fades: after this long it counts half (`rateLimit.perAddress.cpuShare.halfLifeMs`). */
  halfLifeMs: number;
  /** The event loop's busy time so far (ms), read at each change of the requests being worked on. */
  busyNow: () => number;
  /** Most addresses charged at once; past it, the one charged longest ago is forgotten. @default 4096 */
  maxAddresses?: number;
}

export interface LoopShares {
  /** One request of `address` is now being worked on by the gateway itself (past the gate, not waiting on a subgraph). */
  ready(address: string): void;
  /** That request is done, or now waits on something else (subgraphs). */
  unready(address: string): void;
  /** Brings every charge up to now, then lets all of them fade by `elapsedMs` and forgets the negligible ones. */
  fade(elapsedMs: number): void;
  /** Whether `address` has been charged more than an equal share of the loop time charged to every address seen recently. */
  overShare(address: string): boolean;
  /** Addresses charged now (bounded by `maxAddresses`). */
  size(): number;
}

const DEFAULT_MAX_ADDRESSES = 4096;
// An address with no request for this many half-lives is forgotten (its charge is then under
// 1/256 of what it was): it no longer competes for the loop, and counting it would lower
// everyone else's equal share. One that sends little, however little, still counts: its requests
// are the ones a flood would otherwise delay.
const FORGET_AFTER_HALF_LIVES = 8;

/** What an address has cost the loop (fading), and when it last had a request worked on (the `fade` clock). */
interface Charge {
  ms: number;
  seenAt: number;
}

/** An address's requests being worked on, and how far its charge has been brought. */
interface Ready {
  count: number;
  /** `perReady` when its charge was last brought up to date. */
  mark: number;
}

/**
 * What each client address costs the event loop, as a fading sum: the loop's busy time while a
 * request is worked on, divided by the requests worked on at the time (a running sum per ready
 * request, `perReady`, brought up to date at every change, so that a request that starts and
 * ends between two samples is charged too). A request waiting on subgraphs is not charged (a
 * legitimate client's requests spend most of their time there, a flood of refusals or of costly
 * documents none), so the charge follows the CPU an address's requests take rather than how long
 * they are open. Node cannot say which request a slice of the loop ran, so the charge is an
 * estimate: exact for one address alone, and for several in the proportion of their requests
 * the gateway works on. The tables are bounded: ready counts by the requests in progress,
 * charges by `maxAddresses`.
 */
export function createLoopShares(options: LoopSharesOptions): LoopShares {
  const maxAddresses = options.maxAddresses ?? DEFAULT_MAX_ADDRESSES;
  const readyBy = new Map<string, Ready>();
  // Least recently seen first (a Map iterates in insertion order; being seen moves an address last).
  const charges = new Map<string, Charge>();
  let readyTotal = 0;
  // Time as `fade` has been told it passed (ms).
  let clock = 0;
  let total = 0;
  let lastBusy = options.busyNow();
  let perReady = 0;

  // Busy time while nothing was ready (the gateway's own work, other transports) is nobody's.
  const advance = () => {
    const busy = options.busyNow();
    if (readyTotal > 0 && busy > lastBusy) perReady += (busy - lastBusy) / readyTotal;
    lastBusy = busy;
  };
  const seen = (address: string): Charge => {
    let charge = charges.get(address);
    if (charge) charges.delete(address);
    else {
      if (charges.size >= maxAddresses) forgetOldest();
      charge = { ms: 0, seenAt: clock };
    }
    charge.seenAt = clock;
    charges.set(address, charge);
    return charge;
  };
  const accrue = (address: string, entry: Ready) => {
    const part = entry.count * (perReady - entry.mark);
    entry.mark = perReady;
    const charge = seen(address);
    if (!(part > 0)) return;
    charge.ms += part;
    total += part;
  };

  return {
    ready(address) {
      advance();
      let entry = readyBy.get(address);
      if (entry) accrue(address, entry);
      else {
        seen(address);
        readyBy.set(address, (entry = { count: 0, mark: perReady }));
      }
      entry.count += 1;
      readyTotal += 1;
    },
    unready(address) {
      const entry = readyBy.get(address);
      if (!entry) return;
      advance();
      accrue(address, entry);
      entry.count -= 1;
      readyTotal -= 1;
      if (entry.count === 0) readyBy.delete(address);
    },
    fade(elapsedMs) {
      advance();
      for (const [address, entry] of readyBy) accrue(address, entry);
      clock += Math.max(0, elapsedMs);
      const fade = 0.5 ** (Math.max(0, elapsedMs) / options.halfLifeMs);
      const forgetBefore = clock - FORGET_AFTER_HALF_LIVES * options.halfLifeMs;
      // Summed again, not scaled, so that rounding never drifts it from the charges.
      total = 0;
      for (const [address, charge] of charges) {
        if (charge.seenAt < forgetBefore && !readyBy.has(address)) {
          charges.delete(address);
          continue;
        }
        charge.ms *= fade;
        total += charge.ms;
      }
    },
    overShare(address) {
      const charge = charges.get(address);
      // Alone, an address has all the loop there is: nobody else to be fair to.
      return charge !== undefined && charges.size > 1 && charge.ms > total / charges.size;
    },
    size: () => charges.size,
  };

  function forgetOldest() {
    for (const [address, charge] of charges) {
      charges.delete(address);
      total -= charge.ms;
      return;
    }
  }
}
