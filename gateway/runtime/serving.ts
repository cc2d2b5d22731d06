import type http from 'node:http';
import type https from 'node:https';
import { parseRequestTarget } from '../../common/http/parseRequestTarget.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { limitHeapGrowth } from './limitHeapGrowth.js';

/** How long a gateway that gets no GraphQL request waits before it does what `serving` defers. */
export const firstRequestWaitMs = 10_000;

/**
 * What a gateway process does once it serves (a single gateway, or a worker), after its first
 * successful (2xx) answer on the GraphQL path, routed as the request handler routes it (or
 * `firstRequestWaitMs` without one; nothing once the server has closed): first `onServing`
 * (the bundle's loader writes its code cache, which V8 refuses under other flags), then the
 * heap's growth limit the config sets (a V8 flag; the built gateway set the default before it
 * loaded its bundle, so a cache is always written and taken under it). After the first answer
 * rather than at `listen`, so that the cache holds the code the first operation compiled too
 * (Apollo's query planner, the executor, the request path): a start from that cache compiles
 * none of it again before its first answer (docs/performance.md, step 32). A refusal (a 400, a
 * 429, a 404 for `/graphqlx`) ran none of the operation path and does not count.
 */
export function serving(config: GatewayConfig, onServing: (() => void) | undefined, server: http.Server | https.Server): void {
  let done = false;
  const finish = () => {
    if (done) return;
    stop();
    onServing?.();
    limitHeapGrowth(config.server.heapGrowthPercent);
  };
  // After the answer has been handed to the socket, not before: the client is not kept waiting.
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // A CORS preflight runs no operation either.
    if (req.method === 'OPTIONS' || !onGraphQLPath(req.url, config.server.graphqlPath)) return;
    res.once('finish', () => {
      if (res.statusCode >= 200 && res.statusCode < 300) setImmediate(finish);
    });
  };
  // A server stopped before then: nothing to do, and no timer left behind.
  const stop = () => {
    done = true;
    clearTimeout(timer);
    server.off('request', onRequest);
    server.off('close', stop);
  };
  const timer = setTimeout(finish, firstRequestWaitMs);
  timer.unref();
  server.on('request', onRequest);
  server.once('close', stop);
}

/** Whether a request target is the GraphQL path, exactly as createRequestHandler routes it; never throws. */
function onGraphQLPath(target: string | undefined, graphqlPath: string): boolean {
  try {
    return parseRequestTarget(target).pathname === graphqlPath;
  } catch {
    return false;
  }
}
