import type { IncomingMessage, ServerResponse } from 'node:http';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../../common/errorCodes.js';
import type { Logger } from '../../common/createLogger.js';
import { HttpError } from '../../common/http/HttpError.js';
import type { AddressResolver } from './createAddressResolver.js';
import type { Limiter } from './createLimiters.js';
import { rateLimitFields, type QuotaPolicy } from './rateLimitFields.js';

export interface AddressLimitOptions {
  /** The `address` rule (`rateLimit.perAddress`). */
  limiter: Limiter;
  addressOf: AddressResolver;
  /** `rateLimit.onStoreError`. */
  onStoreError: 'open' | 'closed';
  logger: Logger;
}

/**
 * Counts a GraphQL HTTP request against its client address, or refuses it.
 * Resolves when it may go on (with the address's `RateLimit` fields set on `res`); throws an
 * `HttpError` (429 `RATE_LIMITED`, or 503 with `onStoreError: closed`) when it may not.
 */
export type AddressLimit = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const STORE_WARNING_INTERVAL_MS = 10_000;

/**
 * The per-address rule, in the HTTP layer, before authentication and before the body is read:
 * what a request is refused for later (a bad token, an invalid document, a body too large) has
 * already been counted, so a flood of requests that will fail gets 429 as cheaply as any other.
 * It applies whatever token or API key a request carries: neither can be the way out of it.
 */
export function createAddressLimit(options: AddressLimitOptions): AddressLimit {
  const { limiter, logger } = options;
  const policy: QuotaPolicy = limiter;
  let lastWarning = 0;
  return async (req, res) => {
    const address = options.addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']);
    let result: RateLimiterRes;
    try {
      result = await limiter.counter.consume(address, 1);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw refusal(policy, error);
      if (options.onStoreError === 'closed') {
        throw new HttpError(ErrorCode.SERVICE_NOT_READY, 'Rate limiting is unavailable (its store cannot be reached); try again shortly');
      }
      if (Date.now() - lastWarning > STORE_WARNING_INTERVAL_MS) {
        lastWarning = Date.now();
        logger.warn({ err: String(error), rule: limiter.name }, 'rate limit store unreachable; letting requests through (rateLimit.onStoreError: open)');
      }
      return;
    }
    // Answers that reach the per-client rules get their fields instead (which list this policy too).
    const fields = rateLimitFields([policy], [{ policy, remaining: result.remainingPoints, resetSeconds: result.msBeforeNext / 1000 }]);
    for (const [name, value] of Object.entries(fields)) res.setHeader(name, value);
  };
}

function refusal(policy: QuotaPolicy, result: RateLimiterRes): HttpError {
  const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  return new HttpError(
    ErrorCode.RATE_LIMITED,
    `Rate limit "${policy.name}" exceeded: ${policy.limit} requests per ${policy.windowSeconds} s from this address; retry in ${retryAfterSeconds} s`,
    {
      'retry-after': String(retryAfterSeconds),
      ...rateLimitFields([policy], [{ policy, remaining: 0, resetSeconds: retryAfterSeconds }]),
    },
    { rule: policy.name, limit: policy.limit, windowSeconds: policy.windowSeconds, retryAfterSeconds },
  );
}
