import type { ApolloServerPlugin } from '@apollo/server';
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
 * produced it, before Apollo Server formats (and in production masks) it. Keyed by the context
 * object, which Apollo Server builds once per HTTP request and shares between a batch's operations.
 */
export function createErrorRecorder(): ErrorRecorder {
  const recorded = new WeakMap<GatewayContext, GraphQLError[]>();
  return {
    plugin: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ contextValue, errors }) {
            recorded.get(contextValue)?.push(...errors);
          },
        };
      },
    },
    record(context) {
      const errors: GraphQLError[] = [];
      recorded.set(context, errors);
      return errors;
    },
  };
}
