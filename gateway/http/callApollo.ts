import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import { acceptsMultipartDefer } from '../../common/http/acceptsMultipartDefer.js';
import { writeHttpGraphQLResponse } from '../../common/http/writeHttpGraphQLResponse.js';
import type { GatewayContext } from '../GatewayContext.js';
import { clientGone } from '../pipeline/clientGone.js';
import type { GraphQLExchange, Outcome, ProducedError } from '../pipeline/Feature.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import type { OpenStream } from '../streaming/createHttpStreamCounter.js';
import type { FormatError } from '../streaming/formatStreamItem.js';
import { endStream } from '../streaming/endStream.js';
import type { ResultStream } from '../streaming/ResultStream.js';
import type { FastPath } from './fastPath/createFastPath.js';
import { runApollo } from './runApollo.js';
import { streamingTransportOf } from './streamingTransportOf.js';
import { writeMultipartIncremental } from './writeMultipartIncremental.js';
import { writeResultStream } from './writeResultStream.js';

export interface ApolloCallOptions {
  /** A started Apollo Server: it runs the operation (the features' plugins and `execute` hooks included). */
  apollo: ApolloServer<GatewayContext>;
  /** `server.requestTimeoutMs`: what is left of it bounds the subgraph calls. */
  requestTimeoutMs: number;
  /** Records the errors Apollo Server reports for the request. */
  pipeline: Pick<Pipeline, 'recordErrors'>;
  /** Apollo Server's request pipeline for a single JSON POST, run without it (createFastPath); none: every request goes through Apollo Server. */
  fastPath?: FastPath;
  /** The gateway's `formatError`, for the errors of streamed results (Apollo Server formats only the first); none: as they are. */
  formatError?: FormatError;
  /** Counts the streams answered here while they are open (createHttpStreamCounter); none: not counted. */
  openStream?: OpenStream;
}

/**
 * The last step of the HTTP layer: the request, as Apollo Server's `HTTPGraphQLRequest`, run
 * with its context (request id, abort signal, deadline, viewer), and the answer written back:
 * as JSON; as `multipart/mixed` incremental delivery for `@defer` (or SSE events, on SSE), within
 * the request; or, for SSE and multipart subscriptions, as a stream that outlives the request (its
 * admission slot, deadline and `finish` hooks end with the setup).
 */
export async function callApollo(exchange: GraphQLExchange, options: ApolloCallOptions): Promise<Outcome> {
  const { req, res } = exchange;
  let response: HTTPGraphQLResponse;
  let errors: readonly ProducedError[];
  let stream: ResultStream | undefined;
  const formatError = options.formatError ?? ((error) => error);
  const counted = options.openStream ? { openStream: options.openStream } : {};
  // SSE or multipart subscriptions; `@defer` parts as multipart/mixed. A batch answers once, merged.
  const subscriptionTransport = Array.isArray(exchange.body) ? null : streamingTransportOf(req.headers.accept);
  const defers = !Array.isArray(exchange.body) && acceptsMultipartDefer(req.headers.accept);
  try {
    // An answer can depend on who asked: no HTTP cache may keep anything Apollo Server answers
    // here (the Sandbox page too); a header it sets itself, such as APQ's, still wins.
    res.setHeader('cache-control', 'no-store');
    // Events on SSE and multipart subscriptions; parts where multipart says deferSpec, or on SSE (as events).
    const delivery = { acceptsEvents: subscriptionTransport !== null, acceptsStream: defers || subscriptionTransport === 'sse' };
    ({ response, errors, stream } = await runApollo(exchange, options, delivery));
    // The client left while it ran (while its operation waited for its turn, say): there is no one
    // to answer, and what that made fail is no failure of the gateway's (its errors are kept for the log).
    if (exchange.signal.aborted) {
      await endStream(stream);
      return { ...clientGone(exchange.signal, undefined), errors };
    }
    const answered = response.status === 200 && response.body.kind === 'complete';
    if (stream?.kind === 'deferred' && answered && subscriptionTransport !== 'sse') {
      await writeMultipartIncremental(res, { first: response, parts: stream.parts, formatError, ...counted });
    } else if (subscriptionTransport) {
      const writing = writeResultStream(res, { transport: subscriptionTransport, answer: response, stream, formatError, ...counted }).catch(() =>
        res.destroy(),
      );
      // `@defer` parts are this request's own work: delivered within its admission slot and deadline,
      // as over multipart. A subscription's stream is not awaited: the request ends here, and the
      // stream lives on until it ends or its client leaves (each event's fetches are bounded on their own).
      if (stream?.kind === 'deferred') await writing;
    } else {
      // Not delivered after all (an error answer): what it holds upstream is freed.
      await endStream(stream);
      // A whole JSON answer a step outside asked to write itself (a held refusal): left to it.
      if (response.body.kind === 'complete' && exchange.leaveUnwritten?.(errors)) return { status: response.status ?? 200, errors, unwritten: response };
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
