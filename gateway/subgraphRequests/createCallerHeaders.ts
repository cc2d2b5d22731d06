import type { GatewayContext } from '../GatewayContext.js';
import type { SubgraphCaller } from './createSubgraphClient.js';
import { identityHeadersOf } from './identityHeadersOf.js';

export interface CallerHeadersOptions {
  /** The client headers the header rules pass to this subgraph. */
  propagateHeaders: (incoming: Iterable<[string, string]>) => Record<string, string>;
  /** Claims sent besides subject and scopes. */
  forwardClaims: readonly string[];
  /** Send the client's raw `Authorization` header too. */
  forwardToken: boolean;
}

/**
 * What a subgraph is told of the caller: the headers the rules pass on, the raw token when
 * `forwardToken` is on, and the verified identity last, so that nothing above can set it. Worked
 * out once per client request (a query fans out to many fetches) and kept no longer than it.
 */
export function createCallerHeaders(options: CallerHeadersOptions): (caller: SubgraphCaller) => Readonly<Record<string, string>> {
  const cache = new WeakMap<GatewayContext, Record<string, string>>();
  return (caller) => {
    let headers = cache.get(caller.context);
    if (headers !== undefined) return headers;
    headers = { ...options.propagateHeaders(caller.clientHeaders) };
    const authorization = caller.clientHeaders.get('authorization');
    if (options.forwardToken && authorization) headers.authorization = authorization;
    Object.assign(headers, identityHeadersOf(caller.context.viewer, options.forwardClaims));
    cache.set(caller.context, headers);
    return headers;
  };
}
