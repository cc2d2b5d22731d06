import type { Admission } from '../../traffic/createAdmission.js';
import type { Feature, GraphQLExchange, Outcome } from '../Feature.js';
import { holdPlace } from '../holdPlace.js';

export interface AdmissionControlOptions {
  /**
   * Whether a request of one operation may give its slot back while it waits for something that
   * needs no CPU (its turn under rate-limit pacing, `rateLimit.pace`): `waitOutsideAdmission`.
   */
  waitsOutside: boolean;
}

/**
 * Operations executing at once (`server.admission`): a GraphQL request whose body has arrived
 * and passed its limits waits here for a slot, its client's turn among the clients waiting, and
 * holds it until its answer is written. A client that goes away while it waits takes no slot.
 */
export function createAdmissionControl(admission: Admission, options: AdmissionControlOptions): Feature {
  const acquire = (exchange: GraphQLExchange) => () => admission.acquire(exchange.signal, exchange.clientAddress);
  return {
    name: 'admission',
    handle: options.waitsOutside
      ? (exchange, next) => admittedWithWaits(acquire(exchange), exchange, next)
      : (exchange, next) => holdPlace(exchange.signal, acquire(exchange), next),
    close: () => admission.close(),
  };
}

/**
 * As `holdPlace`, and a request of one operation may wait outside its slot, taking one again
 * after (a batch's operations share the slot: one waiting cannot give it back while the others
 * run). Once the request is done, a wait holds no slot at all, so nothing that kept the context
 * (a subscription's events) can take one that is never given back.
 */
function admittedWithWaits(acquire: () => Promise<() => void>, exchange: GraphQLExchange, next: () => Promise<Outcome>): Promise<Outcome> {
  if (Array.isArray(exchange.body)) return holdPlace(exchange.signal, acquire, next);
  let release = noRelease;
  let done = false;
  const held = async () => {
    release = await acquire();
    return () => {
      done = true;
      release();
    };
  };
  const waitOutside = async (wait: () => Promise<void>) => {
    if (done) return wait();
    release();
    release = noRelease;
    try {
      await wait();
    } finally {
      // Rejects (503 OVERLOADED, the client gone) as the first wait would; nothing is then held.
      release = await acquire();
    }
  };
  exchange.waitOutsideAdmission = waitOutside;
  return holdPlace(exchange.signal, held, next);
}

function noRelease(): void {}
