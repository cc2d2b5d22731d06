import type { Admission } from '../../traffic/createAdmission.js';
import { clientGone } from '../clientGone.js';
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

/** As `holdPlace`, and a request of one operation may wait outside its slot, taking one again after. */
async function admittedWithWaits(acquire: () => Promise<() => void>, exchange: GraphQLExchange, next: () => Promise<Outcome>): Promise<Outcome> {
  let release: () => void;
  try {
    release = await acquire();
  } catch (error) {
    return clientGone(exchange.signal, error);
  }
  // A batch's operations share the slot: one waiting cannot give it back while the others run.
  if (!Array.isArray(exchange.body)) {
    const waitOutside = async (wait: () => Promise<void>) => {
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
  }
  try {
    return await next();
  } finally {
    release();
  }
}

function noRelease(): void {}
