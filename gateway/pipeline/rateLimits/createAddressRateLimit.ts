import { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../../../common/errorCodes.js';
import type { Logger } from '../../../common/createLogger.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { AddressResolver } from '../../traffic/createAddressResolver.js';
import type { Limiter } from '../../traffic/createLimiters.js';
import { rateLimitFields, type QuotaPolicy } from '../../traffic/rateLimitFields.js';
import type { Feature } from '../Feature.js';

export interface AddressRateLimitOptions {
  /** The `address` rule (`rateLimit.perAddress`); null with rate limiting off. */
  limiter: Limiter | null;
  addressOf: AddressResolver;
  /** `rateLimit.onStoreError`. */
  onStoreError: 'open' | 'closed';
  logger: Logger;
}

const STORE_WARNING_INTERVAL_MS = 10_000;

/**
 * The per-address rule, as a GraphQL request arrives: before its method is checked, before
 * authentication and before the body is read, so that what a request is refused for later (a
 * bad token, an invalid document, a body too large) has already been counted, and a flood of
 * requests that will fail gets 429 as cheaply as any other. It applies whatever token or API key
 * a request carries: neither can be the way out of it. A request that may go on gets the
 * address's `RateLimit` fields; one that may not, an `HttpError` (429 `RATE_LIMITED`, or 503
 * with `onStoreError: closed`).
 */
export function createAddressRateLimit(options: AddressRateLimitOptions): Feature {
  const { limiter, logger } = options;
  if (!limiter) return { name: 'addressRateLimit' };
  const policy: QuotaPolicy = limiter;
  let lastWarning = 0;
  return {
    name: 'addressRateLimit',
    async arrive(req, res) {
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
    },
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
