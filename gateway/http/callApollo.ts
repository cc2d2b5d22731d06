import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import { graphQLOverHttpStatus } from '../../common/http/graphQLOverHttpStatus.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import type { GatewayContext } from '../GatewayContext.js';
import { clientGone } from '../pipeline/clientGone.js';
import type { GraphQLExchange, Outcome, ProducedError } from '../pipeline/Feature.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import { createStreamSlot } from '../streaming/createStreamSlot.js';
import { streamingTransportOf } from './streamingTransportOf.js';
import { writeResultStream, type ResultStreamWriting } from './writeResultStream.js';

export interface ApolloCallOptions {
  /** A started Apollo Server: it runs the operation (the features' plugins and `execute` hooks included). */
  apollo: ApolloServer<GatewayContext>;
  /** `server.requestTimeoutMs`: what is left of it bounds the subgraph calls. */
  requestTimeoutMs: number;
  /** Records the errors Apollo Server reports for the request. */
  pipeline: Pick<Pipeline, 'recordErrors'>;
  /** The gateway's `formatError`, for the errors of streamed results (Apollo Server formats only the first). */
  formatError?: ResultStreamWriting['formatError'];
}

/**
 * The last step of the HTTP layer: the request, as Apollo Server's `HTTPGraphQLRequest`, run
 * with its context (request id, abort signal, deadline, viewer), and the answer written back.
 */
export async function callApollo(exchange: GraphQLExchange, options: ApolloCallOptions): Promise<Outcome> {
  const { req, res } = exchange;
  let response: HTTPGraphQLResponse;
  // The errors Apollo Server reports for this request, recorded from the moment its context exists.
  let errors: readonly ProducedError[] = [];
  // SSE or multipart subscriptions: Apollo Server answers the first result as JSON, the stream follows.
  const streaming = streamingTransportOf(req.headers.accept);
  let streamed: GatewayContext | undefined;
  try {
    const httpGraphQLRequest = toHttpGraphQLRequest(req, exchange.url, exchange.body);
    if (streaming) httpGraphQLRequest.headers.set('accept', 'application/json');
    // The deadline starts once the request is taken; its wait is bounded by the queue's timeout.
    const deadlineAt = Date.now() + options.requestTimeoutMs;
    // An answer can depend on who asked: no HTTP cache may keep anything Apollo Server answers
    // here (the Sandbox page too); a header it sets itself, such as APQ's, still wins.
    res.setHeader('cache-control', 'no-store');
    const answer = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => {
        // On a stream slot: the executor's `context.stream` reaches this transport (see createStreamSlot).
        const context: GatewayContext = Object.assign(Object.create(createStreamSlot()) as GatewayContext, {
          requestId: exchange.requestId,
          signal: exchange.signal,
          deadlineAt,
          clientAddress: req.socket.remoteAddress ?? '',
          viewer: exchange.viewer,
          ...(exchange.traceparent ? { traceparent: exchange.traceparent } : {}),
          ...(streaming ? { acceptsStream: true } : {}),
        });
        streamed = context;
        errors = options.pipeline.recordErrors(context);
        return context;
      },
    });
    response = { ...answer, status: graphQLOverHttpStatus(answer) };
    if (streaming) {
      // Not awaited: the request (its admission slot, its deadline) ends here; the stream lives on until it ends or its client leaves.
      const stream = streamed?.stream;
      void writeResultStream(res, { transport: streaming, answer: response, stream, formatError: options.formatError ?? ((error) => error) }).catch(() =>
        res.destroy(),
      );
    } else {
      await writeHttpGraphQLResponse(res, response);
    }
  } catch (error) {
    // Nobody is left to answer: a client that went away is no failure of the gateway's.
    return clientGone(exchange.signal, error);
  }
  const status = response.status ?? 200;
  const unseen = status >= 400 && errors.length === 0 && response.body.kind === 'complete' ? { unseenAnswer: response.body.string } : {};
  return { status, errors, ...unseen };
}
