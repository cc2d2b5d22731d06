import { createSubgraphServer, type SubgraphRuntime, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import { inventoryContext } from './context.js';
import { resolvers } from './resolvers.js';
import type { StockApi } from './stockApi.js';

export interface InventoryDeps extends SubgraphRuntime {
  stockApi: StockApi;
}

/** The inventory subgraph: stock and shipping, from the inventory gRPC service. */
export function createInventoryServer(deps: InventoryDeps): SubgraphServer {
  return createSubgraphServer({
    name: 'inventory',
    typeDefs: readSubgraphSchema('inventory'),
    resolvers,
    createContext: inventoryContext(deps.stockApi),
    ...deps,
  });
}
