import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { ErrorCode } from '../../../common/errorCodes';

/** What a person is told about a failure, and what they can do about it. */
export interface ErrorDescription {
  /** The gateway's `extensions.code`, or `NETWORK` when no answer arrived. */
  code: ErrorCode | 'NETWORK' | 'UNKNOWN';
  /** One sentence for the page; never the server's internal message. */
  message: string;
  /** What would help: sign in (again), reload the app, or try again later. */
  action: 'sign-in' | 'reload' | 'retry' | 'none';
}

/**
 * Turns whatever Apollo Client reports (GraphQL errors in a 200, a coded 4xx/5xx body, no answer
 * at all) into words for a shopper, keyed by `extensions.code` (common/errorCodes.ts) and never
 * by message text, which is the gateway's to change.
 */
export function describeError(error: unknown): ErrorDescription {
  const first = gatewayErrorsOf(error)[0];
  if (!first) {
    if (ServerError.is(error) || ServerParseError.is(error)) {
      return { code: 'UNKNOWN', message: `The shop answered with an error (HTTP ${error.statusCode}). Try again in a moment.`, action: 'retry' };
    }
    return { code: 'NETWORK', message: 'The shop cannot be reached. Check your connection and try again.', action: 'retry' };
  }
  return describeGatewayError(first);
}

/**
 * The words for one error of a response. GraphQL tells a request error (the gateway refused the
 * whole request: a 401 for the token, a 429, a 400) from a field error (that field is null, the
 * rest of the answer is there) by `path`, which only a field error has.
 */
export function describeGatewayError(error: GraphQLFormattedError): ErrorDescription {
  const wholeRequest = error.path === undefined;
  const code = (typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNKNOWN') as ErrorDescription['code'];
  switch (code) {
    case 'UNAUTHENTICATED':
      // A request refused (401): the token is bad or expired. A field refused (200, null there):
      // it needs a signed-in caller, and there is none.
      return {
        code,
        message: wholeRequest ? 'Your sign-in is no longer valid (expired or not accepted). Please sign in again.' : 'Please sign in to do this.',
        action: 'sign-in',
      };
    case 'FORBIDDEN':
      return { code, message: 'Your account is not allowed to see or do this.', action: 'none' };
    case 'RATE_LIMITED': {
      const seconds = Number(error.extensions?.retryAfterSeconds);
      return { code, message: `You are going a little fast. Try again${Number.isFinite(seconds) ? ` in ${seconds} s` : ' shortly'}.`, action: 'retry' };
    }
    case 'PERSISTED_QUERY_NOT_ALLOWED':
    case 'PERSISTED_QUERY_NOT_FOUND':
    case 'PERSISTED_QUERY_NOT_SUPPORTED':
    case 'GRAPHQL_VALIDATION_FAILED':
      // The app asked for something this gateway does not run: a stale build of the app.
      return { code, message: 'This version of the shop is out of date. Reload the page to get the new one.', action: 'reload' };
    case 'BAD_USER_INPUT':
      return { code, message: `Please check what you entered: ${error.message}`, action: 'none' };
    case 'NOT_FOUND':
      return { code, message: 'We could not find that.', action: 'none' };
    case 'BACKEND_UNAVAILABLE':
    case 'BACKEND_TIMEOUT':
    case 'BACKEND_ERROR':
    case 'SUBGRAPH_UNAVAILABLE':
    case 'SUBGRAPH_TIMEOUT':
    case 'SUBGRAPH_ERROR':
      return { code, message: 'Part of the shop is unavailable right now. Try again in a moment.', action: 'retry' };
    case 'OVERLOADED':
    case 'SERVICE_NOT_READY':
      return { code, message: 'The shop is busy right now. Try again in a moment.', action: 'retry' };
    default:
      return { code, message: 'Something went wrong on our side. Try again in a moment.', action: 'retry' };
  }
}

/** The GraphQL errors in whatever failed: a 200's `errors`, or the coded body of a 4xx/5xx. */
export function gatewayErrorsOf(error: unknown): readonly GraphQLFormattedError[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors;
  if (ServerError.is(error) || ServerParseError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: unknown };
      if (Array.isArray(body.errors)) return body.errors.filter((item): item is GraphQLFormattedError => typeof item?.message === 'string');
    } catch {
      // Not JSON (a proxy's HTML page): no code to go by.
    }
  }
  return [];
}
