import type { SubscriptionEvent } from '../streaming/ResultStream.js';

/**
 * What a feature changes in every event of a subscription after the executor shaped it (the
 * authorization feature's nulls and errors where the caller may not see a field). It is applied
 * once per event for every client whose events it changes alike, so it is part of what decides
 * which clients share a result: `key` must be equal exactly when `patch` does the same.
 */
export interface EventPatch {
  readonly key: string;
  /** Returns a new event; never changes the one it is given (other clients may hold it). */
  patch(event: SubscriptionEvent): SubscriptionEvent;
}
