import type { AddressGate } from '../../traffic/createAddressGate.js';
import type { LoopFairness } from '../../traffic/createLoopFairness.js';
import type { GatewayContext } from '../../GatewayContext.js';
import { holdPlace } from '../holdPlace.js';
import type { Feature } from '../Feature.js';

/**
 * Per-address concurrency (`rateLimit.perAddress.maxInFlight`), the first HTTP-layer step: a
 * request its address's rate limit let through waits here, before authentication, body reading
 * and admission, until its address has fewer than `maxInFlight` requests being processed, and
 * holds that place until it is answered (a stream, until it is set up). What an address's
 * requests cost before admission (a token checked, a body read and parsed, a document measured)
 * is then as bounded as what they cost after it. A client that goes away while it waits takes
 * no turn. With CPU fairness (`rateLimit.perAddress.cpuShare`), a request holding a place is
 * counted as using the event loop, except while its operation is executed (waiting on subgraphs,
 * mostly), and the gate's limit for an address over its share of a saturated loop is one.
 */
export function createAddressConcurrency(gate: AddressGate | null, fairness: LoopFairness | null = null): Feature {
  if (!gate) return { name: 'addressConcurrency' };
  const drain = () => gate.drain();
  if (!fairness)
    return {
      name: 'addressConcurrency',
      handle: (exchange, next) => holdPlace(exchange.signal, () => gate.enter(exchange.clientAddress, exchange.signal), next),
      drain,
    };
  const { shares } = fairness;
  // Each request holding a place, found again by its signal (the same object in its GatewayContext);
  // `executing` counts its operations being executed (a batch has several).
  const holders = new WeakMap<AbortSignal, { address: string; executing: number }>();
  return {
    name: 'addressConcurrency',
    handle: (exchange, next) =>
      holdPlace(
        exchange.signal,
        async () => {
          const address = exchange.clientAddress;
          const release = await gate.enter(address, exchange.signal);
          const holder = { address, executing: 0 };
          holders.set(exchange.signal, holder);
          shares.ready(address);
          return () => {
            holders.delete(exchange.signal);
            if (holder.executing === 0) shares.unready(address);
            release();
          };
        },
        next,
      ),
    execute: (next) => async (requestContext, snapshot) => {
      const { signal } = requestContext.context as GatewayContext;
      const holder = holders.get(signal);
      if (!holder) return next(requestContext, snapshot);
      if (holder.executing++ === 0) shares.unready(holder.address);
      try {
        return await next(requestContext, snapshot);
      } finally {
        // Ready again for what follows execution, unless its place was given back meanwhile.
        if (--holder.executing === 0 && holders.get(signal) === holder) shares.ready(holder.address);
      }
    },
    // Its waiting requests would otherwise wait out server.admission.queueTimeoutMs, which may
    // outlast the shutdown grace period: refused now, and later ones that would wait at once.
    drain,
    close: () => fairness.close(),
  };
}
