import type { BreakerConfig } from '../config/GatewayConfig.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /**
   * Whether a request may go out now. While open it may not, until `resetTimeoutMs` has passed;
   * then exactly one probe may (half-open) and the others keep failing fast until it reports.
   */
  tryAcquire(): boolean;
  /** The request that `tryAcquire` let through got an answer. */
  recordSuccess(): void;
  /** The request failed in a way that says the subgraph is unwell (unreachable, timed out, 5xx). */
  recordFailure(): void;
  /** The request ended without saying anything about the subgraph (the client left). */
  release(): void;
  state(): BreakerState;
  /** Until when an open circuit refuses requests (epoch ms); 0 unless open. */
  openUntil(): number;
}

export interface CircuitBreakerOptions extends BreakerConfig {
  /** Called on every change of state, for logs and metrics. */
  onStateChange?: (state: BreakerState) => void;
  /** @default Date.now */
  now?: () => number;
}

/**
 * A circuit breaker for one subgraph: `failureThreshold` consecutive failures open it, so that a
 * dead subgraph costs clients an immediate error instead of a timeout each, and costs the
 * subgraph no traffic while it recovers. After `resetTimeoutMs` one probe is let through: its
 * success closes the circuit, its failure opens it again for another `resetTimeoutMs`.
 * Small enough to own: it counts the same failures the retry logic classifies, with no second
 * timeout or wrapper of its own.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedUntil = 0;
  let probing = false;

  const moveTo = (next: BreakerState) => {
    if (next === state) return;
    state = next;
    options.onStateChange?.(next);
  };
  const open = () => {
    openedUntil = now() + options.resetTimeoutMs;
    probing = false;
    moveTo('open');
  };

  return {
    tryAcquire() {
      if (!options.enabled || state === 'closed') return true;
      if (state === 'open') {
        if (now() < openedUntil) return false;
        moveTo('half-open');
      }
      if (probing) return false;
      probing = true;
      return true;
    },
    recordSuccess() {
      failures = 0;
      probing = false;
      moveTo('closed');
    },
    recordFailure() {
      if (!options.enabled) return;
      failures += 1;
      if (state === 'half-open' || failures >= options.failureThreshold) open();
    },
    release() {
      // A probe that told nothing lets the next request probe instead.
      if (state === 'half-open') probing = false;
    },
    state: () => state,
    openUntil: () => (state === 'open' ? openedUntil : 0),
  };
}
