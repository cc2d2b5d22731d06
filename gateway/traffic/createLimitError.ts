import { GraphQLError } from 'graphql';
import { httpStatusOf, type ErrorCode } from '../../common/errorCodes.js';

export interface LimitBreach {
  code: ErrorCode;
  /** The config key of the limit, such as `limits.maxDepth`. */
  limit: string;
  /**
   * What the request has. Where only a bound is known (parsing stopped at the limit), the least
   * it can be: the limit + 1, with the message saying "more than".
   */
  measured: number;
  allowed: number;
  message: string;
}

/**
 * The error for a request over one of the gateway's limits. It names the limit, the measured
 * and the allowed value in `extensions`, so a client can tell what to change without parsing
 * the message; Apollo Server takes the HTTP status from `extensions.http`.
 */
export function createLimitError(breach: LimitBreach): GraphQLError {
  return new GraphQLError(breach.message, {
    extensions: {
      code: breach.code,
      limit: breach.limit,
      measured: breach.measured,
      allowed: breach.allowed,
      http: { status: httpStatusOf[breach.code] },
    },
  });
}
