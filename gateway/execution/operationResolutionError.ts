import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { ErrorCode, httpStatusOf } from '../../common/errorCodes.js';

/**
 * Why no operation of the document runs, in graphql-js's words: an `operationName` that names
 * none of its operations, none given for a document of several, or a document with none. The
 * caller's mistake, so a 400 with a code, never an executor tripping over a missing operation.
 */
export function operationResolutionError(document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
  const message = operationName
    ? `Unknown operation named "${operationName}".`
    : operations > 1
      ? 'Must provide operation name if query contains multiple operations.'
      : 'Must provide an operation.';
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: httpStatusOf.OPERATION_RESOLUTION_FAILURE } },
  });
}
