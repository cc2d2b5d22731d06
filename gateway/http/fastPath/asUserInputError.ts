import { GraphQLError, Kind } from 'graphql';

/**
 * As Apollo Server reports a variable that did not coerce (its `isBadUserInputGraphQLError` and
 * `UserInputError`, not exported): an error graphql-js worded so, without a code of its own,
 * becomes `BAD_USER_INPUT`; any other error is returned as it is.
 */
export function asUserInputError(error: GraphQLError): GraphQLError {
  if (error.extensions?.code != null || !isBadUserInputError(error)) return error;
  const converted = new GraphQLError(error.message, {
    nodes: error.nodes,
    originalError: error.originalError ?? error,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
  converted.name = 'UserInputError';
  return converted;
}

function isBadUserInputError(error: GraphQLError): boolean {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return false;
  const name = node.variable.name.value;
  return [
    `Variable "$${name}" has invalid value`,
    `Variable "$${name}" got invalid value `,
    `Variable "$${name}" of required type `,
    `Variable "$${name}" of non-null type `,
  ].some((start) => error.message.startsWith(start));
}
