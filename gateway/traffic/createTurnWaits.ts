import type { CancelSignal } from '../resilience/Cancellation.js';

/** Operations waiting for their turn under rate-limit pacing. */
export interface TurnWaits {
  /** Resolves after `ms`, or at once when the gateway drains; rejects with the signal's reason when its client goes away first. */
  wait(ms: number, signal: CancelSignal): Promise<void>;
  /** The gateway drains: every wait ends now, and later ones do not wait. */
  drain(): void;
  /** Operations waiting now. */
  waiting(): number;
}

export function createTurnWaits(): TurnWaits {
  const waiting = new Set<() => void>();
  let draining = false;
  return {
    wait(ms, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (draining || ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const settle = (then: () => void) => {
          clearTimeout(timer);
          waiting.delete(done);
          signal.removeEventListener('abort', gone);
          then();
        };
        const done = () => settle(resolve);
        const gone = () => settle(() => reject(signal.reason));
        const timer = setTimeout(done, ms);
        waiting.add(done);
        signal.addEventListener('abort', gone, { once: true });
      });
    },
    drain() {
      draining = true;
      for (const done of waiting) done();
    },
    waiting: () => waiting.size,
  };
}
