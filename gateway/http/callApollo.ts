import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import type { GatewayContext } from '../GatewayContext.js';
import { clientGone } from '../pipeline/clientGone.js';
import type { GraphQLExchange, Outcome, ProducedError } from '../pipeline/Feature.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import { runApollo } from './runApollo.js';

export interface ApolloCallOptions {
  /** A started Apollo Server: it runs the operation (the features' plugins and `execute` hooks included). */
  apollo: ApolloServer<GatewayContext>;
  /** `server.requestTimeoutMs`: what is left of it bounds the subgraph calls. */
  requestTimeoutMs: number;
  /** Records the errors Apollo Server reports for the request. */
  pipeline: Pick<Pipeline, 'recordErrors'>;
}

/**
 * The last step of the HTTP layer: the request, as Apollo Server's `HTTPGraphQLRequest`, run
 * with its context (request id, abort signal, deadline, viewer), and the answer written back.
 */
export async function callApollo(exchange: GraphQLExchange, options: ApolloCallOptions): Promise<Outcome> {
  const { res } = exchange;
  let response: HTTPGraphQLResponse;
  let errors: readonly ProducedError[];
  try {
    // An answer can depend on who asked: no HTTP cache may keep anything Apollo Server answers
    // here (the Sandbox page too); a header it sets itself, such as APQ's, still wins.
    res.setHeader('cache-control', 'no-store');
    ({ response, errors } = await runApollo(exchange, options));
    await writeHttpGraphQLResponse(res, response);
  } catch (error) {
    // Nobody is left to answer: a client that went away is no failure of the gateway's.
    return clientGone(exchange.signal, error);
  }
  const status = response.status ?? 200;
  const unseen = status >= 400 && errors.length === 0 && response.body.kind === 'complete' ? { unseenAnswer: response.body.string } : {};
  return { status, errors, ...unseen };
}
