import type { IncomingMessage, ServerResponse } from 'node:http';
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes.js';
import { ErrorCode } from '../../../common/errorCodes.js';
import type { Logger } from '../../../common/createLogger.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { AddressResolver } from '../../traffic/createAddressResolver.js';
import type { Limiter } from '../../traffic/createLimiters.js';
import type { RefusalHold } from '../../traffic/createRefusalHold.js';
import { rateLimitFields, type QuotaPolicy } from '../../traffic/rateLimitFields.js';
import type { Feature } from '../Feature.js';

export interface AddressRateLimitOptions {
  /** The `address` rule (`rateLimit.perAddress`); null with rate limiting off. */
  limiter: Limiter | null;
  addressOf: AddressResolver;
  /** `rateLimit.onStoreError`. */
  onStoreError: 'open' | 'closed';
  /** Where an address's refusals wait (`rateLimit.perAddress.holdRefusalsMs`); null: answered at once. */
  hold: RefusalHold | null;
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
 * with `onStoreError: closed`). A 429 is held first (see createRefusalHold) and then closes its
 * connection: an address over its limit that keeps sending is answered about once per window
 * and connection, so refusing it costs the gateway little however fast it sends.
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
        if (error instanceof RateLimiterRes) throw await heldRefusal(error, address, req, res);
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
    // Held refusals would hold the drain (it waits for their connections) for up to holdRefusalsMs:
    // answered now, with `connection: close`, and later ones at once.
    drain() {
      options.hold?.releaseAll();
    },
    close() {
      options.hold?.releaseAll();
    },
  };

  async function heldRefusal(result: RateLimiterRes, address: string, req: IncomingMessage, res: ServerResponse): Promise<HttpError> {
    if (!options.hold) return refusal(policy, result.msBeforeNext, false);
    const startedAt = Date.now();
    // Held or not (every hold slot taken), it closes the connection; dropped, its connection is
    // already gone, and the refusal is still what the request ended with.
    await options.hold.hold(address, result.msBeforeNext, req, res);
    return refusal(policy, result.msBeforeNext - (Date.now() - startedAt), true);
  }
}

/** The 429; `close` asks the client to open a new connection for its next request. */
function refusal(policy: QuotaPolicy, msBeforeNext: number, close: boolean): HttpError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new HttpError(
    ErrorCode.RATE_LIMITED,
    `Rate limit "${policy.name}" exceeded: ${policy.limit} requests per ${policy.windowSeconds} s from this address; retry in ${retryAfterSeconds} s`,
    {
      'retry-after': String(retryAfterSeconds),
      ...(close ? { connection: 'close' } : {}),
      ...rateLimitFields([policy], [{ policy, remaining: 0, resetSeconds: retryAfterSeconds }]),
    },
    { rule: policy.name, limit: policy.limit, windowSeconds: policy.windowSeconds, retryAfterSeconds },
  );
}
