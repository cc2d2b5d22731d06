import type { Logger } from '../../../common/createLogger.js';
import type { AddressResolver } from '../../traffic/createAddressResolver.js';
import { createAddressBudget } from '../../traffic/createAddressBudget.js';
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

/**
 * The per-address rule, as a GraphQL request arrives: before its method is checked, before
 * authentication and before the body is read, so that what a request is refused for later (a
 * bad token, an invalid document, a body too large) has already been counted, and a flood of
 * requests that will fail gets 429 as cheaply as any other. It applies whatever token or API key
 * a request carries: neither can be the way out of it. A request that may go on gets the
 * address's `RateLimit` fields; one that may not, an `HttpError` (429 `RATE_LIMITED`, or 503
 * with `onStoreError: closed`). It is the address's budget of requests, charged one each and
 * refused as the other per-address budgets are (createAddressBudget): a 429 is held first (see
 * createRefusalHold) and then closes its connection, so an address over its limit that keeps
 * sending is answered about once per window and connection, and refusing it costs the gateway
 * little however fast it sends.
 */
export function createAddressRateLimit(options: AddressRateLimitOptions): Feature {
  const { limiter } = options;
  if (!limiter) return { name: 'addressRateLimit' };
  const policy: QuotaPolicy = limiter;
  const requests = createAddressBudget({
    limiter,
    onStoreError: options.onStoreError,
    hold: options.hold,
    logger: options.logger,
    message: (retryAfterSeconds) =>
      `Rate limit "${policy.name}" exceeded: ${policy.limit} requests per ${policy.windowSeconds} s from this address; retry in ${retryAfterSeconds} s`,
    refusalHeaders: (retryAfterSeconds) => rateLimitFields([policy], [{ policy, remaining: 0, resetSeconds: retryAfterSeconds }]),
  });
  return {
    name: 'addressRateLimit',
    async arrive(req, res) {
      const address = options.addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']);
      const standing = await requests.charge(address, 1, req, res);
      if (!standing) return;
      // Answers that reach the per-client rules get their fields instead (which list this policy too).
      const fields = rateLimitFields([policy], [{ policy, ...standing }]);
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
}
