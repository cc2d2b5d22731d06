import type { Logger } from '../../common/createLogger.js';
import { createSubgraphServer, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import type { CatalogApi } from './catalogApi.js';
import { productsContext } from './context.js';
import { resolvers } from './resolvers.js';

export interface ProductsDeps {
  catalog: CatalogApi;
  logger: Logger;
  development?: boolean;
  /** How long a stopping subgraph lets requests in flight run. @default 10000 */
  shutdownGracePeriodMs?: number;
}

/** The products subgraph: the catalog, from the catalog gRPC service. */
export function createProductsServer(deps: ProductsDeps): SubgraphServer {
  return createSubgraphServer({
    name: 'products',
    typeDefs: readSubgraphSchema('products'),
    resolvers,
    createContext: productsContext(deps.catalog),
    logger: deps.logger,
    development: deps.development,
    shutdownGracePeriodMs: deps.shutdownGracePeriodMs,
  });
}
