import type { HTTPGraphQLResponse } from '@apollo/server';
import { graphQLOverHttpStatus } from '../../common/http/graphQLOverHttpStatus.js';
import { toHttpGraphQLRequest } from '../../common/http/toHttpGraphQLRequest.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { GraphQLExchange, ProducedError } from '../pipeline/Feature.js';
import type { ResultStream } from '../streaming/ResultStream.js';
import { createStreamSlot } from '../streaming/createStreamSlot.js';
import { endStream } from '../streaming/endStream.js';
import type { ApolloCallOptions } from './callApollo.js';

/** What a transport can deliver after the first result: `@defer` parts, subscription events. */
export type Delivery = Pick<GatewayContext, 'acceptsStream' | 'acceptsEvents'>;

/** What Apollo Server answered for one exchange, and what the executor left to deliver after it. */
export interface ApolloAnswer {
  /** Its answer, with the GraphQL-over-HTTP status. */
  response: HTTPGraphQLResponse;
  /** The errors Apollo Server reported for the request, as produced (before `formatError`). */
  errors: readonly ProducedError[];
  /** Subscription events or `@defer` parts, set by the executor (only where the transport accepts them). */
  stream: ResultStream | undefined;
}

/**
 * Runs one exchange through Apollo Server with its context (request id, abort signal, deadline,
 * viewer): what every transport does last, so that the HTTP answer and a WebSocket's `next`
 * messages come from the same request pipeline. `delivers`: what the transport can deliver
 * after the first result (`@defer` parts, subscription events), which the executor then leaves
 * in `context.stream`; Apollo Server answers the first result as plain JSON (the framing around
 * it is the transport's). A stream left by a run that then failed is ended here.
 */
export async function runApollo(exchange: GraphQLExchange, options: ApolloCallOptions, delivers: Delivery = {}): Promise<ApolloAnswer> {
  const { acceptsStream = false, acceptsEvents = false } = delivers;
  const { req } = exchange;
  // The errors Apollo Server reports for this request, recorded from the moment its context exists.
  let errors: readonly ProducedError[] = [];
  const slot = createStreamSlot();
  const httpGraphQLRequest = toHttpGraphQLRequest(req, exchange.url, exchange.body);
  if (acceptsStream || acceptsEvents) httpGraphQLRequest.headers.set('accept', 'application/json');
  // The deadline starts once the request is taken; its wait is bounded by the queue's timeout.
  const deadlineAt = Date.now() + options.requestTimeoutMs;
  const context = async () => {
    const fields: GatewayContext = {
      requestId: exchange.requestId,
      signal: exchange.signal,
      deadlineAt,
      clientAddress: req.socket.remoteAddress ?? '',
      viewer: exchange.viewer,
      // Every field set, undefined where it does not apply: one shape for every request's context.
      traceparent: exchange.traceparent || undefined,
      acceptsStream: acceptsStream || undefined,
      acceptsEvents: acceptsEvents || undefined,
      waitOutsideAdmission: exchange.waitOutsideAdmission,
    };
    const context = slot.contextOf(fields);
    errors = options.pipeline.recordErrors(context);
    return context;
  };
  const viaApollo = () => options.apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context });
  // A single JSON POST skips Apollo Server's request pipeline where it can (see createFastPath); a stream never does.
  const running = options.fastPath && !acceptsStream && !acceptsEvents ? options.fastPath(httpGraphQLRequest, context, viaApollo) : viaApollo();
  let answer: Awaited<typeof running>;
  try {
    answer = await running;
  } catch (error) {
    await endStream(slot.current());
    throw error;
  }
  return { response: { status: graphQLOverHttpStatus(answer), headers: answer.headers, body: answer.body }, errors, stream: slot.current() };
}
