import type { GraphQLError } from 'graphql';

/**
 * Whether `error` is a GraphQLError, from whichever copy of graphql made it: @apollo/gateway and
 * federation are CommonJS and load graphql's CommonJS build, whose GraphQLError is another class
 * than the one this ES module imports, so `instanceof` would miss their errors.
 */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && typeof (error as GraphQLError).extensions === 'object';
}
