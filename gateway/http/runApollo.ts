import type { HTTPGraphQLResponse } from '@apollo/server';
import { graphQLOverHttpStatus } from '../../common/http/graphQLOverHttpStatus.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { GraphQLExchange, ProducedError } from '../pipeline/Feature.js';
import type { ResultStream } from '../streaming/ResultStream.js';
import { createStreamSlot } from '../streaming/createStreamSlot.js';
import type { ApolloCallOptions } from './callApollo.js';

/** What Apollo Server answered for one exchange, and what the executor left to deliver after it. */
export interface ApolloAnswer {
  /** Its answer, with the GraphQL-over-HTTP status. */
  response: HTTPGraphQLResponse;
  /** The errors Apollo Server reported for the request, as produced (before `formatError`). */
  errors: readonly ProducedError[];
  /** Subscription events or `@defer` parts, set by the executor (only with `acceptsStream`). */
  stream: ResultStream | undefined;
}

/**
 * Runs one exchange through Apollo Server with its context (request id, abort signal, deadline,
 * viewer): what every transport does last, so that the HTTP answer and a WebSocket's `next`
 * messages come from the same request pipeline. `acceptsStream`: the transport delivers
 * `context.stream` (subscription events, `@defer` parts) after the first result, which Apollo
 * Server then answers as plain JSON (the framing around it is the transport's).
 */
export async function runApollo(exchange: GraphQLExchange, options: ApolloCallOptions, { acceptsStream = false } = {}): Promise<ApolloAnswer> {
  const { req } = exchange;
  // The errors Apollo Server reports for this request, recorded from the moment its context exists.
  let errors: readonly ProducedError[] = [];
  const slot = createStreamSlot();
  const httpGraphQLRequest = toHttpGraphQLRequest(req, exchange.url, exchange.body);
  if (acceptsStream) httpGraphQLRequest.headers.set('accept', 'application/json');
  // The deadline starts once the request is taken; its wait is bounded by the queue's timeout.
  const deadlineAt = Date.now() + options.requestTimeoutMs;
  const answer = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: async () => {
      const fields: GatewayContext = {
        requestId: exchange.requestId,
        signal: exchange.signal,
        deadlineAt,
        clientAddress: req.socket.remoteAddress ?? '',
        viewer: exchange.viewer,
        ...(exchange.traceparent ? { traceparent: exchange.traceparent } : {}),
        ...(acceptsStream ? { acceptsStream: true } : {}),
      };
      const context: GatewayContext = Object.assign(Object.create(slot.prototype) as GatewayContext, fields);
      errors = options.pipeline.recordErrors(context);
      return context;
    },
  });
  return { response: { ...answer, status: graphQLOverHttpStatus(answer) }, errors, stream: slot.current() };
}
