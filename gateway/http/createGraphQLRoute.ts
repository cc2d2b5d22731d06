import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { whenClientGone } from '../../common/http/whenClientGone.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import type { GraphQLExchange, Outcome } from '../pipeline/Feature.js';
import { callApollo, type ApolloCallOptions } from './callApollo.js';
import type { Cors } from './createCors.js';
import { Cancellation } from '../resilience/Cancellation.js';

export interface GraphQLRouteOptions extends ApolloCallOptions {
  /** The features, in request-path order (see createFeatures). */
  pipeline: Pipeline;
  /** CORS for the GraphQL path. */
  cors: Cors;
  /** Whether Apollo Server serves the Sandbox to browsers on GET. */
  landingPage: boolean;
  /** A request's client address (through trusted proxies). */
  clientAddressOf: (req: IncomingMessage) => string;
}

/** Answers one request to the GraphQL path. */
export type GraphQLRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ids: { requestId: string; traceparent: string | undefined },
) => Promise<Outcome>;

/**
 * The GraphQL path: CORS (a preflight is answered here), the features' `arrive` hooks, the
 * method, then the features' `handle` steps in order and, last, Apollo Server.
 */
export function createGraphQLRoute(options: GraphQLRouteOptions): GraphQLRoute {
  const { pipeline, cors } = options;
  return async (req, res, url, { requestId, traceparent }) => {
    const method = req.method ?? 'GET';
    cors.decorate(req, res);
    if (method === 'OPTIONS') {
      const answer = cors.preflight(req);
      if (answer instanceof HttpError) throw answer;
      for (const [name, value] of Object.entries(answer)) res.setHeader(name, value);
      res.statusCode = 204;
      res.end();
      return { status: 204 };
    }
    // First: whatever this request is refused for later has counted against its address.
    await pipeline.arrive(req, res);
    if (method !== 'GET' && method !== 'POST') {
      throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, `GraphQL requests use GET or POST, not ${method}`, {
        allow: 'GET, POST, OPTIONS',
      });
    }
    if (method === 'GET' && !url.searchParams.has('query') && !url.searchParams.has('extensions')) {
      // Apollo Server would answer with its CSRF message, which does not say what is missing.
      const browser = (req.headers.accept ?? '').includes('text/html');
      if (!(browser && options.landingPage)) {
        throw new HttpError(
          ErrorCode.BAD_REQUEST,
          browser
            ? 'The Sandbox landing page is off here (landingPage: false); send GraphQL requests as POST with JSON'
            : 'A GraphQL GET needs a "query" parameter and the header "apollo-require-preflight: true" (against cross-site request forgery); or POST a JSON body such as {"query": "{ __typename }"}',
        );
      }
    }
    // A request waiting for a slot, and the subgraph calls made for it, stop when its client goes
    // away (its connection too, for a request pipelined behind another): watched from here, so
    // that a client gone during authentication takes no slot.
    const cancellation = new Cancellation();
    whenClientGone(res, () => cancellation.abort());
    const exchange: GraphQLExchange = {
      req,
      res,
      url,
      method,
      requestId,
      traceparent,
      clientAddress: options.clientAddressOf(req),
      signal: cancellation,
      viewer: null,
      body: undefined,
    };
    return pipeline.handle(exchange, () => callApollo(exchange, options));
  };
}
