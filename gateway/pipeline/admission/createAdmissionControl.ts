import type { Admission } from '../../traffic/createAdmission.js';
import { holdPlace } from '../holdPlace.js';
import type { Feature } from '../Feature.js';

/**
 * Operations executing at once (`server.admission`): a GraphQL request whose body has arrived
 * and passed its limits waits here for a slot, its client's turn among the clients waiting, and
 * holds it until its answer is written. A client that goes away while it waits takes no slot.
 */
export function createAdmissionControl(admission: Admission): Feature {
  return {
    name: 'admission',
    handle: (exchange, next) => holdPlace(exchange.signal, () => admission.acquire(exchange.signal, exchange.clientAddress), next),
    close: () => admission.close(),
  };
}
