import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { acceptsMultipartDefer } from '../../common/http/acceptsMultipartDefer.js';
import { graphQLOverHttpStatus } from '../../common/http/graphQLOverHttpStatus.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import type { GatewayContext } from '../GatewayContext.js';
import { clientGone } from '../pipeline/clientGone.js';
import type { GraphQLExchange, Outcome, ProducedError } from '../pipeline/Feature.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import { createStreamSlot } from '../streaming/createStreamSlot.js';
import { writeMultipartIncremental } from './writeMultipartIncremental.js';

export interface ApolloCallOptions {
  /** A started Apollo Server: it runs the operation (the features' plugins and `execute` hooks included). */
  apollo: ApolloServer<GatewayContext>;
  /** `server.requestTimeoutMs`: what is left of it bounds the subgraph calls. */
  requestTimeoutMs: number;
  /** Records the errors Apollo Server reports for the request. */
  pipeline: Pick<Pipeline, 'recordErrors'>;
  /** The gateway's `formatError`, for errors written after Apollo Server answered (deferred parts); none: as they are. */
  formatError?: (formatted: GraphQLFormattedError) => GraphQLFormattedError;
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
  // `@defer` parts as multipart/mixed, when the client reads it (a batch answers once, merged).
  const streams = acceptsMultipartDefer(req.headers.accept) && !Array.isArray(exchange.body);
  const slot = createStreamSlot();
  try {
    const httpGraphQLRequest = toHttpGraphQLRequest(req, exchange.url, exchange.body);
    // Apollo Server answers its one result as JSON; the multipart framing around it is the gateway's.
    if (streams) httpGraphQLRequest.headers.set('accept', 'application/json');
    // The deadline starts once the request is taken; its wait is bounded by the queue's timeout.
    const deadlineAt = Date.now() + options.requestTimeoutMs;
    // An answer can depend on who asked: no HTTP cache may keep anything Apollo Server answers
    // here (the Sandbox page too); a header it sets itself, such as APQ's, still wins.
    res.setHeader('cache-control', 'no-store');
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
          ...(streams ? { acceptsStream: true } : {}),
        };
        const context: GatewayContext = Object.assign(Object.create(slot.prototype) as GatewayContext, fields);
        errors = options.pipeline.recordErrors(context);
        return context;
      },
    });
    response = { ...answer, status: graphQLOverHttpStatus(answer) };
    const stream = slot.current();
    if (stream?.kind === 'deferred' && response.status === 200 && response.body.kind === 'complete') {
      await writeMultipartIncremental(res, {
        first: response,
        parts: stream.parts,
        formatError: (error: GraphQLError) => options.formatError?.(error.toJSON()) ?? error.toJSON(),
      });
    } else {
      // Not delivered after all (an error answer): what it holds upstream is freed.
      if (stream?.kind === 'deferred') await stream.parts.return?.();
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
