import {
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
  type OperationTypeNode,
  subscribe,
} from 'graphql';
import { ErrorCode } from '../../../common/errorCodes.js';
import { maskUnexpected } from '../maskUnexpected.js';
import type { RequestScope } from '../requestScope.js';
import { prepareOperation } from './prepareOperation.js';

/** An operation checked and given its context, or the answer that refuses it. */
export type ReadyOperation = { ok: true; operation: OperationTypeNode; args: ExecutionArgs } | { ok: false; result: ExecutionResult };

/** What an operation on a streaming transport gives: several results, or one, or a refusal. */
export type OperationOutcome =
  | { kind: 'stream'; results: AsyncGenerator<ExecutionResult, void, void> }
  | { kind: 'single'; result: ExecutionResult }
  | { kind: 'refused'; result: ExecutionResult };

/**
 * Runs operations for the WebSocket, SSE and multipart transports exactly alike: checked by
 * `prepareOperation`, executed on the subgraph's schema with a context made from the caller's
 * scope (fresh DataLoaders per operation), subscriptions through graphql's `subscribe`; and
 * formats their results as Apollo Server would (unexpected errors masked outside development,
 * and logged with their stack).
 */
export interface OperationRunner {
  /** Checks an operation and makes its context, without running it (graphql-ws runs it). */
  prepare(params: unknown, scope: RequestScope): ReadyOperation;
  run(params: unknown, scope: RequestScope): Promise<OperationOutcome>;
  format(result: ExecutionResult, scope: Pick<RequestScope, 'logger'>): FormattedExecutionResult;
}

export function createOperationRunner(options: {
  schema: GraphQLSchema;
  createContext: (scope: RequestScope) => unknown;
  development: boolean;
}): OperationRunner {
  const { schema, development } = options;
  const prepare = (params: unknown, scope: RequestScope): ReadyOperation => {
    const prepared = prepareOperation(schema, params);
    if (!prepared.ok) return { ok: false, result: { errors: prepared.errors } };
    // A subscription lives as long as its caller: a deadline the request carried does not apply.
    const { deadlineAt: _deadline, ...lasting } = scope;
    const contextValue = options.createContext(prepared.operation === 'subscription' ? lasting : scope);
    return { ok: true, operation: prepared.operation, args: { ...prepared.args, contextValue } };
  };
  return {
    prepare,
    async run(params, scope) {
      const ready = prepare(params, scope);
      if (!ready.ok) return { kind: 'refused', result: ready.result };
      if (ready.operation !== 'subscription') return { kind: 'single', result: await execute(ready.args) };
      const outcome = await subscribe(ready.args);
      return Symbol.asyncIterator in outcome ? { kind: 'stream', results: outcome } : { kind: 'single', result: outcome };
    },
    format(result, scope) {
      const formatted = result.errors?.map((error) => {
        const json = error.toJSON();
        if (json.extensions?.code === undefined) scope.logger.error({ path: error.path?.join('.'), err: error.originalError ?? error }, 'unexpected error');
        return development ? json : maskUnexpected(json);
      });
      return { ...(result.data === undefined ? {} : { data: result.data }), ...(formatted ? { errors: formatted } : {}) } as FormattedExecutionResult;
    },
  };
}

/** The HTTP status of a refused operation: 400 for a document the schema cannot run. */
export function refusedStatus(result: ExecutionResult): number {
  const code = result.errors?.[0]?.extensions?.code;
  return code === ErrorCode.GRAPHQL_PARSE_FAILED || code === ErrorCode.GRAPHQL_VALIDATION_FAILED || code === ErrorCode.BAD_REQUEST ? 400 : 200;
}
