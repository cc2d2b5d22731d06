import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';

/** An upstream subscription's failure as a client sees it: a code and the service name, never an address. */
export function upstreamFailure(subgraph: string, why: string, code: ErrorCode = ErrorCode.SUBGRAPH_UNAVAILABLE): GraphQLError {
  return new GraphQLError(`Subscription to subgraph "${subgraph}" ended: ${why}`, { extensions: { code, serviceName: subgraph } });
}
