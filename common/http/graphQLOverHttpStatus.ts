import type { HTTPGraphQLResponse } from '@apollo/server';
import { ErrorCode } from '../errorCodes.js';

// Request errors of a well-formed GraphQL-over-HTTP request: the document does not parse or
// validate, the operation to run cannot be chosen, or the variables do not coerce.
const requestErrorCodes: ReadonlySet<unknown> = new Set([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
  ErrorCode.BAD_USER_INPUT,
]);

/**
 * The status GraphQL over HTTP asks of Apollo Server's answer. Apollo answers request errors
 * (parse, validation, operation resolution, variable coercion) with 400 whatever the media type;
 * the spec wants that only for `application/graphql-response+json`, and says a server SHOULD
 * answer them with 200 in the legacy `application/json` (which is also what a request without
 * `Accept` gets), where clients read `errors` rather than the status. Every other status is kept:
 * the gateway's own refusals (limits, cost, rate limits, authentication) are policy outside
 * GraphQL, answered 4xx in both media types so that proxies and clients see them.
 */
export function graphQLOverHttpStatus(response: HTTPGraphQLResponse): number {
  const status = response.status ?? 200;
  if (status !== 400 || response.body.kind !== 'complete') return status;
  const essence = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (essence !== 'application/json') return status;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.string);
  } catch {
    return status;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.hasOwn(parsed, 'data')) return status;
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return status;
  const allRequestErrors = errors.every((error: unknown) => {
    const code = typeof error === 'object' && error !== null ? (error as { extensions?: { code?: unknown } }).extensions?.code : undefined;
    return requestErrorCodes.has(code);
  });
  return allRequestErrors ? 200 : status;
}
