import { type ExecutionArgs, GraphQLError, type GraphQLSchema, getOperationAST, type OperationTypeNode, parse, validate } from 'graphql';
import { ErrorCode } from '../../../common/errorCodes.js';

/**
 * Most tokens a document sent on a streaming transport may have: the gateway's subscription
 * operations are a few hundred; this bounds the parser's work on a hostile frame.
 */
export const maxDocumentTokens = 10_000;

/** A request's GraphQL parameters, checked and ready to run, or why not (a GraphQL error list). */
export type PreparedOperation =
  | { ok: true; operation: OperationTypeNode; args: Omit<ExecutionArgs, 'contextValue'> }
  | { ok: false; errors: readonly GraphQLError[] };

/**
 * Parses and validates `{ query, variables, operationName }` (as a POST body or a graphql-ws
 * `subscribe` payload holds them) against the subgraph's schema, the one step every streaming
 * transport shares. Never throws: any input, however malformed, gets errors with a code.
 */
export function prepareOperation(schema: GraphQLSchema, params: unknown): PreparedOperation {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return refused('The request must be a JSON object with a "query".');
  const { query, variables, operationName } = params as Record<string, unknown>;
  if (typeof query !== 'string' || query === '') return refused('The request has no "query" string.');
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return refused('"variables" must be an object.');
  if (operationName != null && typeof operationName !== 'string') return refused('"operationName" must be a string.');
  let document: ExecutionArgs['document'];
  try {
    document = parse(query, { maxTokens: maxDocumentTokens });
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : 'The query cannot be parsed.';
    return { ok: false, errors: [new GraphQLError(message, { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } })] };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) {
    return {
      ok: false,
      errors: invalid.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } })),
    };
  }
  const operation = getOperationAST(document, (operationName as string | null | undefined) ?? undefined);
  if (!operation) return refused('The query has no operation of that name (or several operations and no operationName).');
  return {
    ok: true,
    operation: operation.operation,
    args: {
      schema,
      document,
      variableValues: (variables as Record<string, unknown> | null | undefined) ?? undefined,
      operationName: (operationName as string | null | undefined) ?? undefined,
    },
  };
}

function refused(message: string): PreparedOperation {
  return { ok: false, errors: [new GraphQLError(message, { extensions: { code: ErrorCode.BAD_REQUEST } })] };
}
