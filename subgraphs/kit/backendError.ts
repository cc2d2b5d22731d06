import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';

/**
 * The GraphQL error a resolver throws when a backend call fails. It names the backend in
 * `extensions.backend` (the gateway adds the subgraph as `serviceName`) so a client can tell
 * which service failed; the message is the backend's own explanation when it gave one.
 * It sets no HTTP status: a field error must leave the rest of the response a 200 with data.
 */
export function backendError(code: ErrorCode, backend: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, backend } });
}

/** The code for a backend's HTTP status: what the client can do about it, not the raw number. */
export function codeForHttpStatus(status: number): ErrorCode {
  if (status === 400 || status === 409 || status === 422) return ErrorCode.BAD_USER_INPUT;
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 408 || status === 504) return ErrorCode.BACKEND_TIMEOUT;
  if (status === 502 || status === 503) return ErrorCode.BACKEND_UNAVAILABLE;
  return ErrorCode.BACKEND_ERROR;
}
