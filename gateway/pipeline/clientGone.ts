import type { Outcome } from './Feature.js';
import type { CancelSignal } from '../resilience/Cancellation.js';

// For the log only: the client left before the gateway answered (nginx's convention).
const CLIENT_CLOSED_REQUEST = 499;

/**
 * What a step answers when what it waited for failed: nothing, if the client has gone (the
 * failure is the abandoned wait itself, no failure of the gateway's), else the error again.
 */
export function clientGone(signal: CancelSignal, error: unknown): Outcome {
  if (signal.aborted) return { status: CLIENT_CLOSED_REQUEST };
  throw error;
}
