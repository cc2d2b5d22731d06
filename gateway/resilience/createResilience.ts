import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import type { Logger } from '../../common/createLogger.js';
import type { SubgraphConfig } from '../config/GatewayConfig.js';
import type { Attempt, AttemptOutcome, SendAttempt } from '../subgraphRequests/createSubgraphSender.js';
import { classifySubgraphFailure } from './classifySubgraphFailure.js';
import type { CancelSignal } from './Cancellation.js';
import { createRetryBudget } from './createRetryBudget.js';
import { createSubgraphBreaker, type BreakerState } from './createSubgraphBreaker.js';

/** Sends a request until it is answered or the failure is final; rejects with the coded `GraphQLError`. */
export type ResilientSend = ((attempt: Attempt, retryable: boolean) => Promise<string>) & {
  /** Tells the breaker of an outcome met outside `send` (a subscription's upstream opened, or failed), judged as an attempt's. */
  record(outcome: AttemptOutcome): void;
};

export interface ResilienceOptions {
  /** The subgraph's name, for logs and errors. */
  name: string;
  settings: Pick<SubgraphConfig, 'timeoutMs' | 'retry' | 'breaker'>;
  logger: Logger;
  /** Told of every retry decided on. */
  onRetry?: () => void;
  /** Told of every change of the breaker's state. */
  onBreakerState?: (state: BreakerState) => void;
}

/**
 * The middle layer of a subgraph client: each attempt behind the subgraph's circuit breaker, and
 * a query (never a mutation) whose failure may pass retried, after an exponential backoff with
 * full jitter (cockatiel's), while `maxRetries`, the request's deadline and the subgraph's retry
 * budget allow. The backoff is drawn before the retry is decided on, so that a retry that would
 * outlive the deadline is not made and costs the budget nothing. The loop is written out rather
 * than cockatiel's retry policy: that one made a promise chain, a result wrapper and a closure
 * per request, and waited a timer of 0 ms between attempts, for a request that nearly always
 * succeeds at once; its backoff could not be cancelled, so it was waited here anyway.
 */
export function createResilience(next: SendAttempt, options: ResilienceOptions): ResilientSend {
  const { name, settings, logger } = options;
  const breaker = createSubgraphBreaker(name, settings.breaker, (state) => {
    logger.warn({ breaker: state }, `circuit breaker of subgraph ${name} is ${state}`);
    options.onBreakerState?.(state);
  });
  const budget = createRetryBudget(settings.retry);
  // Before retry n: a random delay below min(maxDelayMs, initialDelayMs × 2^(n-1)).
  const exponential = new ExponentialBackoff({
    generator: fullJitterGenerator,
    initialDelay: settings.retry.initialDelayMs,
    maxDelay: settings.retry.maxDelayMs,
  });

  const send = async (attempt: Attempt, retryable: boolean): Promise<string> => {
    budget.recordRequest();
    let backoff: IBackoff<unknown> | undefined;
    for (let retries = 0; ; retries += 1) {
      const outcome = await breaker.run(next, attempt);
      if (outcome.ok) return outcome.raw;
      // The backoff before retry number `retries + 1`; no retry when it would outlive the
      // request's deadline or the budget has none left.
      if (!retryable || !outcome.failure.retryable || retries >= settings.retry.maxRetries) throw outcome.failure.error;
      backoff = backoff ? backoff.next(undefined) : exponential.next();
      const delay = backoff.duration;
      if (delay >= attempt.deadlineAt - Date.now() || !budget.tryWithdraw()) throw outcome.failure.error;
      logger.debug(
        { requestId: attempt.requestId, retry: retries + 1, delayMs: delay, code: outcome.failure.error.extensions.code },
        `retrying a query to subgraph ${name}`,
      );
      options.onRetry?.();
      // A client that leaves during the backoff gets its abort at once, and no attempt is made for it.
      if (!(await waited(delay, attempt.signal))) throw classifySubgraphFailure(attempt.signal?.reason, name, settings.timeoutMs).error;
    }
  };
  const record = (outcome: AttemptOutcome): void => {
    // While the circuit is open (or probing) this records nothing, as for any attempt then.
    breaker.run(() => Promise.resolve(outcome)).catch(() => {});
  };
  return Object.assign(send, { record });
}

/** Waits `ms`; false, at once, when `signal` aborts first (or already has). */
function waited(ms: number, signal: CancelSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
