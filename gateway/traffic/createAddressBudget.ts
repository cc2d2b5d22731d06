import type { IncomingMessage, ServerResponse } from 'node:http';
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes.js';
import type { Logger } from '../../common/createLogger.js';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import type { Limiter } from './createLimiters.js';
import type { RefusalHold } from './createRefusalHold.js';

export interface AddressBudgetOptions {
  /** The budget's counter (`rateLimit.perAddress.newDocuments`, `bodyBytes` or `authFailures`), in the configured store. */
  limiter: Limiter;
  /** `rateLimit.onStoreError`. */
  onStoreError: 'open' | 'closed';
  /** Where an address's refusals wait: the per-address rule's (`rateLimit.perAddress.holdRefusalsMs`); null: answered at once. */
  hold: RefusalHold | null;
  logger: Logger;
  /** The 429's message, given when the address may send again: what it sent too much of, and what to do instead. */
  message(retryAfterSeconds: number): string;
  /** More header fields for the 429 (the per-address rule's `RateLimit` fields), given when the address may send again. */
  refusalHeaders?(retryAfterSeconds: number): Record<string, string>;
}

/** Where an address stands against its budget after a charge that fit. */
export interface BudgetStanding {
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** What one client address may make the gateway do per window, before any per-client rule can judge it. */
export interface AddressBudget {
  readonly limit: number;
  /** What `address` has left of its window now; the whole limit when not known (never charged, or the store unreachable). */
  remaining(address: string): Promise<number>;
  /**
   * Charges `points` to `address` and resolves where it then stands. Over its budget, it throws
   * 429 `RATE_LIMITED` (with `retry-after`), held first as the per-address rule's 429s are and
   * then closing the connection; with the store unreachable, it lets the request through
   * (`onStoreError: open`, with a warning at most every 10 s; resolves null) or throws 503
   * `SERVICE_NOT_READY` (`closed`).
   */
  charge(address: string, points: number, req: IncomingMessage, res: ServerResponse): Promise<BudgetStanding | null>;
  /**
   * Charges `points` that went past what `remaining` allowed (a chunked body cut off) and throws
   * the 429 as `charge` does; should the window have reset meanwhile and the charge fit, the 429
   * is still thrown (the request was already cut off), then unheld, with the window as its wait.
   */
  exceed(address: string, points: number, req: IncomingMessage, res: ServerResponse): Promise<never>;
  /**
   * Charges `points` for a request that is refused anyway (`authFailures`: a 401), and over the
   * budget holds it as `charge` holds its 429s; resolves whether its refusal is then to close the
   * connection (over the budget, with a hold). It never throws: the store unreachable, the
   * refusal stands and is answered at once (`onStoreError: closed` would only swap one refusal
   * for another), with the same warning as `charge`'s.
   */
  chargeRefused(address: string, points: number, req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const STORE_WARNING_INTERVAL_MS = 10_000;

/**
 * A per-address budget of work, counted in the rate limiter's store (so its keys are bounded as
 * the per-address rule's are: one per address seen in a window, expiring with it) and refused
 * as the per-address rule refuses: through the same hold.
 */
export function createAddressBudget(options: AddressBudgetOptions): AddressBudget {
  const { limiter, logger } = options;
  let lastWarning = 0;
  const storeFailed = (error: unknown): void => {
    if (options.onStoreError === 'closed') {
      throw new HttpError(ErrorCode.SERVICE_NOT_READY, 'Rate limiting is unavailable (its store cannot be reached); try again shortly');
    }
    warnStoreFailed(error, 'rate limit store unreachable; letting requests through (rateLimit.onStoreError: open)');
  };
  const warnStoreFailed = (error: unknown, message: string): void => {
    if (Date.now() - lastWarning > STORE_WARNING_INTERVAL_MS) {
      lastWarning = Date.now();
      logger.warn({ err: String(error), rule: limiter.name }, message);
    }
  };
  const budget: AddressBudget = {
    limit: limiter.limit,
    async remaining(address) {
      try {
        const state = await limiter.counter.get(address);
        return state ? Math.max(0, state.remainingPoints) : limiter.limit;
      } catch {
        return limiter.limit;
      }
    },
    async charge(address, points, req, res) {
      try {
        const result = await limiter.counter.consume(address, points);
        return { remaining: result.remainingPoints, resetSeconds: result.msBeforeNext / 1000 };
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) {
          storeFailed(error);
          return null;
        }
        if (!options.hold) throw refusal(error.msBeforeNext, false);
        const startedAt = Date.now();
        // Held or not (every hold slot taken), it closes the connection; dropped, the connection is
        // already gone, and the refusal is still what the request ended with.
        await options.hold.hold(address, error.msBeforeNext, req, res);
        throw refusal(error.msBeforeNext - (Date.now() - startedAt), true);
      }
    },
    async exceed(address, points, req, res) {
      await budget.charge(address, points, req, res);
      throw refusal(limiter.windowSeconds * 1000, true);
    },
    async chargeRefused(address, points, req, res) {
      try {
        await limiter.counter.consume(address, points);
        return false;
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) {
          warnStoreFailed(error, 'rate limit store unreachable; refused requests answered at once');
          return false;
        }
        if (!options.hold) return false;
        // As for `charge`: held, answered now (every slot taken) or dropped, the refusal closes the connection.
        await options.hold.hold(address, error.msBeforeNext, req, res);
        return true;
      }
    },
  };
  return budget;

  function refusal(msBeforeNext: number, close: boolean): HttpError {
    const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return new HttpError(
      ErrorCode.RATE_LIMITED,
      options.message(retryAfterSeconds),
      { 'retry-after': String(retryAfterSeconds), ...(close ? { connection: 'close' } : {}), ...options.refusalHeaders?.(retryAfterSeconds) },
      { rule: limiter.name, limit: limiter.limit, windowSeconds: limiter.windowSeconds, retryAfterSeconds },
    );
  }
}
