import { clientGone } from './clientGone.js';
import type { Outcome } from './Feature.js';
import type { CancelSignal } from '../resilience/Cancellation.js';

/**
 * Runs `next` holding a place that `acquire` waits for (an admission slot, one of an address's
 * places), and gives the place back once `next` has answered, however it ended. A client that
 * left while it waited gets `clientGone`'s answer and never holds a place.
 */
export async function holdPlace(signal: CancelSignal, acquire: () => Promise<() => void>, next: () => Promise<Outcome>): Promise<Outcome> {
  let release: () => void;
  try {
    release = await acquire();
  } catch (error) {
    return clientGone(signal, error);
  }
  try {
    return await next();
  } finally {
    release();
  }
}
