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
  });
}
