import type { FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { DeferredPart, ResultStream, SubscriptionEvent } from '../streaming/ResultStream.js';

/** The gateway's `formatError` (see createFormatError): masks what production must not show. */
export type FormatError = (error: GraphQLFormattedError) => GraphQLFormattedError;

/** One item of a stream as the client receives it: its errors formatted as Apollo Server formats a first result's. */
export function formatStreamItem(stream: ResultStream, item: unknown, formatError: FormatError): FormattedExecutionResult | Record<string, unknown> {
  return stream.kind === 'subscription' ? formatEvent(item as SubscriptionEvent, formatError) : formatPart(item as DeferredPart, formatError);
}

function formatEvent(event: SubscriptionEvent, formatError: FormatError): FormattedExecutionResult {
  return {
    ...(event.data === undefined ? {} : { data: event.data }),
    ...(event.errors && event.errors.length > 0 ? { errors: event.errors.map((error) => formatOne(error, formatError)) } : {}),
    ...(event.extensions ? { extensions: event.extensions } : {}),
  };
}

function formatPart(part: DeferredPart, formatError: FormatError): Record<string, unknown> {
  // A part with nowhere to go (its place was nulled) is only the news that more is coming, or not.
  if (!part.incremental || part.incremental.length === 0) return { hasNext: part.hasNext };
  return {
    hasNext: part.hasNext,
    incremental: part.incremental.map(({ errors, extensions, ...rest }) => {
      const valueCompletion = extensions?.valueCompletion;
      return {
        ...rest,
        ...(errors && errors.length > 0 ? { errors: errors.map((error) => formatOne(error, formatError)) } : {}),
        ...(extensions
          ? {
              extensions: Array.isArray(valueCompletion)
                ? { ...extensions, valueCompletion: (valueCompletion as GraphQLError[]).map((error) => formatOne(error, formatError)) }
                : extensions,
            }
          : {}),
      };
    }),
  };
}

/** A GraphQLError (or whatever the executor put in its place) formatted; never throws. */
function formatOne(error: GraphQLError, formatError: FormatError): GraphQLFormattedError {
  try {
    const plain: GraphQLFormattedError = typeof error.toJSON === 'function' ? error.toJSON() : { message: String((error as { message?: unknown }).message) };
    return formatError(plain);
  } catch {
    return { message: 'Internal server error', ...(error?.path ? { path: error.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}
