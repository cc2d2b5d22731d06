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
 * produced it, before Apollo Server formats (and in production masks) it. Apollo Server gives
 * each operation a shallow copy of the context, so the key is what every copy shares and no
 * other request has: the request's abort signal.
 */
export function createErrorRecorder(): ErrorRecorder {
  const recorded = new WeakMap<AbortSignal, GraphQLError[]>();
  return {
    plugin: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ contextValue, errors }) {
            recorded.get(contextValue.signal)?.push(...errors);
          },
        };
      },
    },
    record(context) {
      const errors: GraphQLError[] = [];
      recorded.set(context.signal, errors);
      return errors;
    },
  };
}
