import type { Logger } from '../../common/createLogger.js';
import { createSubgraphServer, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import { inventoryContext } from './context.js';
import { resolvers } from './resolvers.js';
import type { StockApi } from './stockApi.js';

export interface InventoryDeps {
  stockApi: StockApi;
  logger: Logger;
  development?: boolean;
  /** How long a stopping subgraph lets requests in flight run. @default 10000 */
  shutdownGracePeriodMs?: number;
}

/** The inventory subgraph: stock and shipping, from the inventory gRPC service. */
export function createInventoryServer(deps: InventoryDeps): SubgraphServer {
  return createSubgraphServer({
    name: 'inventory',
    typeDefs: readSubgraphSchema('inventory'),
    resolvers,
    createContext: inventoryContext(deps.stockApi),
    logger: deps.logger,
    development: deps.development,
    shutdownGracePeriodMs: deps.shutdownGracePeriodMs,
  });
}
