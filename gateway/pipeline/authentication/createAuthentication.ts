import { ErrorCode } from '../../../common/errorCodes.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { Authenticator } from '../../auth/createAuthenticator.js';
import type { Feature } from '../Feature.js';

// The refusals authentication made, for the auth-failure budget (which sees them on their way
// out): told apart by identity, not by their code, so no other 401 can ever be charged as one.
const refusals = new WeakSet<HttpError>();

/**
 * Who is calling, once per GraphQL request and before its body is read: a refused caller costs
 * no reading or parsing. A bad token, or none where one is required, is a 401 from the
 * authenticator; otherwise the request goes on with its viewer (null: anonymous).
 */
export function createAuthentication(authenticator: Authenticator): Feature {
  return {
    name: 'authentication',
    async handle(exchange, next) {
      try {
        exchange.viewer = await authenticator.authenticate(exchange.req.headers);
      } catch (error) {
        // The 401; anything else is the authenticator's own failure, not the client's.
        if (error instanceof HttpError && error.code === ErrorCode.UNAUTHENTICATED) refusals.add(error);
        throw error;
      }
      return next();
    },
  };
}

/** Whether `error` is the 401 authentication refused a request with (not one of a later step's errors). */
export function refusedByAuthentication(error: unknown): error is HttpError {
  return error instanceof HttpError && refusals.has(error);
}
