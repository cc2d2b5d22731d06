import type { GraphQLError } from 'graphql';
import type { SubgraphResponse } from '../subgraphRequests/createSubgraphClient.js';

/** One subscription a subgraph is asked to open: the primary fetch of a plan, for a caller. */
export interface UpstreamTarget {
  /** The subgraph's name: the signature's audience, errors' `serviceName`. */
  subgraph: string;
  /** The subgraph's GraphQL URL (http/https; WebSocket upstreams swap the scheme). */
  url: string;
  request: { query: string; operationName: string | undefined; variables: Record<string, unknown> };
  /** What the subgraph is told of the caller (identity, passed-on headers), as for every fetch. */
  headers: Readonly<Record<string, string>>;
  /** The request id of the client request that opened it. */
  requestId: string;
  signingSecret: string;
}

/** What an open upstream reports, in order: `connected`, then events, then one `fail` or `complete`. */
export interface UpstreamSink {
  /** The subgraph accepted the subscription (its backoff starts afresh only once an event arrives, or it stays up a while). */
  connected(): void;
  next(response: SubgraphResponse): void;
  /**
   * The upstream ended in failure. `subgraphFault` is true when the subgraph or the network
   * failed (reconnecting may help), false when the subgraph refused the request itself (a
   * caller's fault: never retried, and never held against the subgraph).
   */
  fail(error: GraphQLError, subgraphFault: boolean): void;
  complete(): void;
}

/** Opens one upstream subscription; the function it returns closes it (and reports nothing more). */
export type OpenUpstream = (target: UpstreamTarget, sink: UpstreamSink) => () => void;
