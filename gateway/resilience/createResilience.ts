import { ConstantBackoff, ExponentialBackoff, fullJitterGenerator, handleWhenResult, retry, type IBackoff } from 'cockatiel';
import type { Logger } from '../../common/createLogger.js';
import type { SubgraphConfig } from '../config/GatewayConfig.js';
import type { Attempt, AttemptOutcome, SendAttempt } from '../subgraphRequests/createSubgraphSender.js';
import { classifySubgraphFailure } from './classifySubgraphFailure.js';
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

/** A failed attempt, with the backoff before the retry decided on (none: the failure is final). */
type Tried = AttemptOutcome & { retryInMs?: number };

/**
 * The middle layer of a subgraph client: each attempt behind the subgraph's circuit breaker, and
 * a query (never a mutation) whose failure may pass retried with cockatiel's retry policy, after
 * an exponential backoff with full jitter, while `maxRetries`, the request's deadline and the
 * subgraph's retry budget allow. The backoff is drawn before the retry is decided on, so that a
 * retry that would outlive the deadline is not made and costs the budget nothing.
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
  const policy = retry(
    handleWhenResult((tried) => (tried as Tried).retryInMs !== undefined),
    {
      maxAttempts: settings.retry.maxRetries,
      // cockatiel's own wait between attempts cannot be cancelled: the backoff is waited in the
      // attempt instead, under the client's signal (see below).
      backoff: new ConstantBackoff(0),
    },
  );

  const send = async (attempt: Attempt, retryable: boolean): Promise<string> => {
    budget.recordRequest();
    let backoff: IBackoff<unknown> | undefined;
    /** The backoff before retry number `retries + 1`, or undefined when that retry is not to be made. */
    const retryAfter = (outcome: AttemptOutcome, retries: number): number | undefined => {
      if (outcome.ok || !retryable || !outcome.failure.retryable || retries >= settings.retry.maxRetries) return undefined;
      backoff = backoff ? backoff.next(undefined) : exponential.next();
      const delay = backoff.duration;
      if (delay >= attempt.deadlineAt - Date.now() || !budget.tryWithdraw()) return undefined;
      logger.debug(
        { requestId: attempt.requestId, retry: retries + 1, delayMs: delay, code: outcome.failure.error.extensions.code },
        `retrying a query to subgraph ${name}`,
      );
      options.onRetry?.();
      return delay;
    };
    let waitMs = 0;
    const last = await policy.execute(async ({ attempt: retries }): Promise<Tried> => {
      // A client that leaves during the backoff gets its abort at once, and no attempt is made for it.
      if (retries > 0 && !(await waited(waitMs, attempt.signal))) {
        return { ok: false, failure: classifySubgraphFailure(attempt.signal?.reason, name, settings.timeoutMs) };
      }
      const outcome = await breaker.run(() => next(attempt));
      const retryInMs = retryAfter(outcome, retries);
      if (retryInMs === undefined) return outcome;
      waitMs = retryInMs;
      return { ...outcome, retryInMs };
    });
    if (last.ok) return last.raw;
    throw last.failure.error;
  };
  const record = (outcome: AttemptOutcome): void => {
    // While the circuit is open (or probing) this records nothing, as for any attempt then.
    breaker.run(() => Promise.resolve(outcome)).catch(() => {});
  };
  return Object.assign(send, { record });
}

/** Waits `ms`; false, at once, when `signal` aborts first (or already has). */
function waited(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
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
