export interface LoopSharesOptions {
  /** How fast a charge fades: after this long it counts half (`rateLimit.perAddress.cpuShare.halfLifeMs`). */
  halfLifeMs: number;
  /** Most addresses charged at once; past it, the one charged longest ago is forgotten. @default 4096 */
  maxAddresses?: number;
}

export interface LoopShares {
  /** One request of `address` is now being worked on by the gateway itself (past the gate, not waiting on a subgraph). */
  ready(address: string): void;
  /** That request is done, or now waits on something else (subgraphs). */
  unready(address: string): void;
  /**
   * Charges `busyMs` of event-loop time, spent over the last `elapsedMs`, to the addresses whose
   * requests were ready, each its part of the ready requests; every earlier charge fades first.
   */
  charge(busyMs: number, elapsedMs: number): void;
  /** Whether `address` has been charged more than an equal share of the loop time charged to every address. */
  overShare(address: string): boolean;
  /** Addresses charged now (bounded by `maxAddresses`). */
  size(): number;
}

const DEFAULT_MAX_ADDRESSES = 4096;
// A charge below this part of the total is forgotten: that address has (nearly) stopped using the
// loop, and counting it would lower everyone else's equal share.
const NEGLIGIBLE = 1 / 256;

/**
 * What each client address costs the event loop, as a fading sum: the loop's busy time, as a
 * sampler measures it, divided among the requests being worked on at the time. A request waiting
 * on subgraphs is not charged (a legitimate client's requests spend most of their time there, a
 * flood of refusals or of costly documents none), so the charge follows the CPU an address's
 * requests take rather than how long they are open. Node cannot say which request a slice of the
 * loop ran, so the charge is an estimate: exact for one address alone, and for several in the
 * proportion of their requests the gateway works on. The tables are bounded: ready counts by the
 * requests in progress, charges by `maxAddresses`.
 */
export function createLoopShares(options: LoopSharesOptions): LoopShares {
  const maxAddresses = options.maxAddresses ?? DEFAULT_MAX_ADDRESSES;
  const readyBy = new Map<string, number>();
  // Oldest charged first (a Map iterates in insertion order; a charge moves its address last).
  const charges = new Map<string, number>();
  let readyTotal = 0;
  let total = 0;

  return {
    ready(address) {
      readyBy.set(address, (readyBy.get(address) ?? 0) + 1);
      readyTotal += 1;
    },
    unready(address) {
      const count = readyBy.get(address);
      if (count === undefined) return;
      if (count > 1) readyBy.set(address, count - 1);
      else readyBy.delete(address);
      readyTotal -= 1;
    },
    charge(busyMs, elapsedMs) {
      const fade = 0.5 ** (Math.max(0, elapsedMs) / options.halfLifeMs);
      // Summed again, not scaled, so that rounding never drifts it from the charges.
      total = 0;
      for (const [address, charge] of charges) {
        charges.set(address, charge * fade);
        total += charge * fade;
      }
      if (readyTotal > 0 && busyMs > 0) {
        for (const [address, count] of readyBy) {
          const part = (busyMs * count) / readyTotal;
          const before = charges.get(address);
          if (before !== undefined) charges.delete(address);
          else if (charges.size >= maxAddresses) forgetOldest();
          charges.set(address, (before ?? 0) + part);
          total += part;
        }
      }
      const floor = total * NEGLIGIBLE;
      for (const [address, charge] of charges) {
        if (charge >= floor) continue;
        charges.delete(address);
        total -= charge;
      }
    },
    overShare(address) {
      const charge = charges.get(address);
      // Alone, an address has all the loop there is: nobody else to be fair to.
      return charge !== undefined && charges.size > 1 && charge > total / charges.size;
    },
    size: () => charges.size,
  };

  function forgetOldest() {
    for (const [address, charge] of charges) {
      charges.delete(address);
      total -= charge;
      return;
    }
  }
}
