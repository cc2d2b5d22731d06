import type { HTTPGraphQLResponse } from '@apollo/server';
import { graphQLOverHttpStatus } from '../../common/http/graphQLOverHttpStatus.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { GraphQLExchange, ProducedError } from '../pipeline/Feature.js';
import type { ApolloCallOptions } from './callApollo.js';

/** What Apollo Server answered for one exchange, and the context it ran with (where the executor leaves a stream). */
export interface ApolloAnswer {
  /** Its answer, with the GraphQL-over-HTTP status. */
  response: HTTPGraphQLResponse;
  /** The errors Apollo Server reported for the request, as produced (before `formatError`). */
  errors: readonly ProducedError[];
  /** Undefined where Apollo Server refused the request before making a context. */
  context: GatewayContext | undefined;
}

/**
 * Runs one exchange through Apollo Server with its context (request id, abort signal, deadline,
 * viewer): what every transport does last, so that the HTTP answer and a WebSocket's `next`
 * messages come from the same request pipeline. `acceptsStream`: the transport delivers
 * `context.stream` (subscription events, `@defer` parts) after the first result.
 */
export async function runApollo(exchange: GraphQLExchange, options: ApolloCallOptions, { acceptsStream = false } = {}): Promise<ApolloAnswer> {
  const { req } = exchange;
  // The errors Apollo Server reports for this request, recorded from the moment its context exists.
  let errors: readonly ProducedError[] = [];
  let made: GatewayContext | undefined;
  const httpGraphQLRequest = toHttpGraphQLRequest(req, exchange.url, exchange.body);
  // The deadline starts once the request is taken; its wait is bounded by the queue's timeout.
  const deadlineAt = Date.now() + options.requestTimeoutMs;
  const answer = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: async () => {
      const context: GatewayContext = {
        requestId: exchange.requestId,
        signal: exchange.signal,
        deadlineAt,
        clientAddress: req.socket.remoteAddress ?? '',
        viewer: exchange.viewer,
        ...(exchange.traceparent ? { traceparent: exchange.traceparent } : {}),
        ...(acceptsStream ? { acceptsStream: true } : {}),
      };
      errors = options.pipeline.recordErrors(context);
      made = context;
      return context;
    },
  });
  return { response: { ...answer, status: graphQLOverHttpStatus(answer) }, errors, context: made };
}
