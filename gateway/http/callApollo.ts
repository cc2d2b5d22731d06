import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { acceptsMultipartDefer } from '../../common/http/acceptsMultipartDefer.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import type { GatewayContext } from '../GatewayContext.js';
import { clientGone } from '../pipeline/clientGone.js';
import type { GraphQLExchange, Outcome, ProducedError } from '../pipeline/Feature.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import type { ResultStream } from '../streaming/ResultStream.js';
import { runApollo } from './runApollo.js';
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
  let errors: readonly ProducedError[];
  let stream: ResultStream | undefined;
  // `@defer` parts as multipart/mixed, when the client reads it (a batch answers once, merged).
  const streams = acceptsMultipartDefer(req.headers.accept) && !Array.isArray(exchange.body);
  try {
    // An answer can depend on who asked: no HTTP cache may keep anything Apollo Server answers
    // here (the Sandbox page too); a header it sets itself, such as APQ's, still wins.
    res.setHeader('cache-control', 'no-store');
    ({ response, errors, stream } = await runApollo(exchange, options, { acceptsStream: streams }));
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
