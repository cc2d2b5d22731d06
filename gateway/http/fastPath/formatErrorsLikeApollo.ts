import { HeaderMap, type HTTPGraphQLHead } from '@apollo/server';
import { GraphQLError, type GraphQLErrorExtensions, type GraphQLFormattedError } from 'graphql';
import type { ApolloInternals } from './readApolloInternals.js';

/**
 * Apollo Server's `normalizeAndFormatErrors` (`@apollo/server` 5, errorNormalize.ts), which it
 * does not export: each error made a GraphQLError, its code defaulted, its `extensions.http`
 * taken out into the answer's status and headers, then the gateway's `formatError` (masking in
 * production); a `formatError` that throws gives "Internal server error".
 */
export function formatErrorsLikeApollo(
  errors: readonly unknown[],
  internals: Pick<ApolloInternals, 'formatError' | 'includeStacktraceInErrorResponses'>,
): { formattedErrors: GraphQLFormattedError[]; httpFromErrors: HTTPGraphQLHead } {
  const formatError = internals.formatError ?? ((error: GraphQLFormattedError) => error);
  const httpFromErrors: HTTPGraphQLHead = { status: undefined, headers: new HeaderMap() };
  const enrich = (maybeError: unknown): GraphQLFormattedError => {
    const graphqlError = ensureGraphQLError(maybeError);
    const extensions: GraphQLErrorExtensions = { ...graphqlError.extensions, code: graphqlError.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
    if (isPartialHead(extensions.http)) {
      mergeHead(httpFromErrors, { headers: new HeaderMap(), ...extensions.http });
      delete extensions.http;
    }
    if (internals.includeStacktraceInErrorResponses) extensions.stacktrace = graphqlError.stack?.split('\n');
    return { ...graphqlError.toJSON(), extensions };
  };
  const formattedErrors = errors.map((error) => {
    try {
      return formatError(enrich(error), error);
    } catch (formattingError) {
      if (internals.includeStacktraceInErrorResponses) return enrich(formattingError);
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { formattedErrors, httpFromErrors };
}

/** Apollo Server's `ensureError`. */
export function ensureError(maybeError: unknown): Error {
  return maybeError instanceof Error ? maybeError : new GraphQLError(`Unexpected error value: ${String(maybeError)}`);
}

/** Apollo Server's `ensureGraphQLError`. */
export function ensureGraphQLError(maybeError: unknown): GraphQLError {
  const error = ensureError(maybeError);
  return error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
}

/** Apollo Server's `mergeHTTPGraphQLHead`. */
export function mergeHead(target: HTTPGraphQLHead, source: Partial<HTTPGraphQLHead>): void {
  if (source.status) target.status = source.status;
  if (source.headers) for (const [name, value] of source.headers) target.headers.set(name, value);
}

function isPartialHead(value: unknown): value is Partial<HTTPGraphQLHead> {
  if (typeof value !== 'object' || value === null) return false;
  const head = value as { status?: unknown; headers?: unknown };
  return (!('status' in head) || typeof head.status === 'number') && (!('headers' in head) || head.headers instanceof Map);
}
