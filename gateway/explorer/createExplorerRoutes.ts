import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { SupergraphSnapshot } from '../supergraph/SupergraphSnapshot.js';
import { createExplorerRoute, type ExplorerRoute } from './createExplorerRoute.js';
import { createQueryPlanRoute, type QueryPlanRoute } from './createQueryPlanRoute.js';

export interface ExplorerRoutesDeps {
  /** The GraphQL path's `arrive` hooks: a plan request counts against its address as a GraphQL request does. */
  arrive: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The supergraph being served. */
  current: () => SupergraphSnapshot;
}

/**
 * The offline explorer (`/graphiql`) and its query plan endpoint, where `explorer` is on; none
 * where it is off (no plan endpoint either: a 404).
 */
export function createExplorerRoutes(config: GatewayConfig, deps: ExplorerRoutesDeps): { explorer: ExplorerRoute | null; queryPlan?: QueryPlanRoute } {
  if (!config.explorer) return { explorer: null };
  return {
    explorer: createExplorerRoute({
      graphqlPath: config.server.graphqlPath,
      exampleQuery: deps.current().examples.graphiql,
      showsQueryPlan: config.mode === 'development',
    }),
    queryPlan: createQueryPlanRoute({
      mode: config.mode,
      limits: config.limits,
      demandControl: config.demandControl,
      introspection: config.introspection,
      bodyTimeoutMs: config.server.bodyTimeoutMs,
      arrive: deps.arrive,
      current: deps.current,
    }),
  };
}
