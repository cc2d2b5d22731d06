import type { AddressGate } from '../../traffic/createAddressGate.js';
import { holdPlace } from '../holdPlace.js';
import type { Feature } from '../Feature.js';

/**
 * Per-address concurrency (`rateLimit.perAddress.maxInFlight`), the first HTTP-layer step: a
 * request its address's rate limit let through waits here, before authentication, body reading
 * and admission, until its address has fewer than `maxInFlight` requests being processed, and
 * holds that place until it is answered (a stream, until it is set up). What an address's
 * requests cost before admission (a token checked, a body read and parsed, a document measured)
 * is then as bounded as what they cost after it. A client that goes away while it waits takes
 * no turn.
 */
export function createAddressConcurrency(gate: AddressGate | null): Feature {
  if (!gate) return { name: 'addressConcurrency' };
  return {
    name: 'addressConcurrency',
    handle: (exchange, next) => holdPlace(exchange.signal, () => gate.enter(exchange.clientAddress, exchange.signal), next),
    // Its waiting requests would otherwise wait out server.admission.queueTimeoutMs, which may
    // outlast the shutdown grace period: refused now, and later ones that would wait at once.
    drain() {
      gate.drain();
    },
  };
}
