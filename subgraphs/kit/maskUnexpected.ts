import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';

/** Outside development, an error nobody gave a code is a bug whose message may hold internals. */
export function maskUnexpected(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code !== undefined && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
