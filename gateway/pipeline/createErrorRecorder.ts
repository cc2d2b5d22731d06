import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { GatewayContext } from '../GatewayContext.js';

export interface ErrorRecorder {
  /** Hears every error Apollo Server reports for a request, batched operations' included. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** Starts recording for the request run with `context`; the returned list fills as errors happen. */
  record(context: GatewayContext): readonly GraphQLError[];
}

/**
 * The operation-layer half of "what went wrong with this request": each error as the gateway
 * produced it, before Apollo Server formats (and in production masks) it. The list is a field of
 * the context: Apollo Server gives each operation of a batch a shallow copy of it, and every copy
 * shares the one list. (A WeakMap keyed by the request cost an ephemeron per request, which every
 * young-generation collection must trace: 70 ms of 16 s under load in a profile.)
 */
export function createErrorRecorder(): ErrorRecorder {
  // One listener for every request: it keeps nothing of its own.
  const listener: GraphQLRequestListener<GatewayContext> = {
    async didEncounterErrors({ contextValue, errors }) {
      contextValue.recordedErrors?.push(...errors);
    },
  };
  return {
    plugin: {
      requestDidStart: async () => listener,
    },
    record(context) {
      const errors: GraphQLError[] = [];
      context.recordedErrors = errors;
      return errors;
    },
  };
}
