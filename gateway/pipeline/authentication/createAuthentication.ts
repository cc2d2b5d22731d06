import type { Authenticator } from '../../auth/createAuthenticator.js';
import type { Feature } from '../Feature.js';

/**
 * Who is calling, once per GraphQL request and before its body is read: a refused caller costs
 * no reading or parsing. A bad token, or none where one is required, is a 401 from the
 * authenticator; otherwise the request goes on with its viewer (null: anonymous).
 */
export function createAuthentication(authenticator: Authenticator): Feature {
  return {
    name: 'authentication',
    async handle(exchange, next) {
      exchange.viewer = await authenticator.authenticate(exchange.req.headers);
      return next();
    },
  };
}
