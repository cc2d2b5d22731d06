import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';

/** The 406 for a subscription asked over a transport that answers once (plain JSON). */
export function subscriptionTransportRequired(): GraphQLError {
  return new GraphQLError(
    'Subscriptions need a transport that delivers several results: send "Accept: text/event-stream" (GraphQL over SSE), "Accept: multipart/mixed;subscriptionSpec=1.0" (Apollo multipart), or connect a WebSocket (graphql-transport-ws)',
    { extensions: { code: ErrorCode.SUBSCRIPTION_TRANSPORT_REQUIRED, http: { status: 406 } } },
  );
}
