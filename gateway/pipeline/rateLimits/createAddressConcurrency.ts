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
 * counted as using the event loop, except while it waits on subgraphs, and the gate's limit for an address over its share of a saturated loop is one.
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
  // `calls` counts its subgraph calls out now (a plan's wave has several, a batch several plans).
  const holders = new WeakMap<AbortSignal, Holder>();
  const waitOn = async <T>(holder: Holder, send: () => Promise<T>): Promise<T> => {
    if (holder.calls++ === 0 && holder.held) shares.unready(holder.address);
    try {
      return await send();
    } finally {
      // Ready again for what follows, unless its place was given back meanwhile.
      if (--holder.calls === 0 && holder.held) shares.ready(holder.address);
    }
  };
  return {
    name: 'addressConcurrency',
    handle: (exchange, next) =>
      holdPlace(
        exchange.signal,
        async () => {
          const address = exchange.clientAddress;
          const release = await gate.enter(address, exchange.signal);
          const holder: Holder = { address, calls: 0, held: true };
          holders.set(exchange.signal, holder);
          shares.ready(address);
          return () => {
            holders.delete(exchange.signal);
            holder.held = false;
            if (holder.calls === 0) shares.unready(address);
            release();
          };
        },
        next,
      ),
    // Waiting on subgraphs is not CPU: the request is unready while any of its calls is out.
    execute: (next) => (requestContext, snapshot) => {
      const context = requestContext.context as GatewayContext;
      const holder = holders.get(context.signal);
      if (holder) context.aroundSubgraphCalls = (send) => waitOn(holder, send);
      return next(requestContext, snapshot);
    },
    // Its waiting requests would otherwise wait out server.admission.queueTimeoutMs, which may
    // outlast the shutdown grace period: refused now, and later ones that would wait at once.
    drain,
    close: () => fairness.close(),
  };
}

interface Holder {
  address: string;
  calls: number;
  /** False once its place is given back: later subgraph calls (a deferred part's) are not counted. */
  held: boolean;
}
