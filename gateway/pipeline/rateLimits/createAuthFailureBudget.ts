import { HttpError } from '../../../common/http/HttpError.js';
import type { AddressBudget } from '../../traffic/createAddressBudget.js';
import { refusedByAuthentication } from '../authentication/createAuthentication.js';
import type { Feature } from '../Feature.js';

/**
 * The authentication-failure budget per client address (`rateLimit.perAddress.authFailures`).
 * Each request authentication refuses (its 401, recognised by `refusedByAuthentication`) charges
 * its address one point on its way out; past the budget, that 401 is held as the address's 429s
 * are (the shared refusal hold, until the window resets) and then closes its connection, so an
 * address flooding bad tokens gets about one answer per connection per hold instead of as many
 * 401s as the gateway can write. The answer is the same 401 (body, `WWW-Authenticate`): only when
 * it comes changes. Nothing but a refusal is charged or held: a valid token, or an anonymous
 * request where a token is optional, from the same address (a NAT shared with a broken client)
 * goes on at once. The token is still verified over the budget: the verdict is what tells a
 * failure from a success, and it costs less than the answer the hold saves.
 *
 * It wraps the steps from the address's concurrency gate on (it stands just before it), so that
 * a held 401 has already given back its place there: holding takes none of the `maxInFlight`
 * places the address's other requests need.
 */
export function createAuthFailureBudget(budget: AddressBudget | null): Feature {
  if (!budget) return { name: 'authFailureBudget' };
  return {
    name: 'authFailureBudget',
    async handle(exchange, next) {
      try {
        return await next();
      } catch (error) {
        if (!refusedByAuthentication(error)) throw error;
        const close = await budget.chargeRefused(exchange.clientAddress, 1, exchange.req, exchange.res);
        if (!close) throw error;
        throw new HttpError(error.code, error.message, { ...error.headers, connection: 'close' }, error.extensions);
      }
    },
  };
}
