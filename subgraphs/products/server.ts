import { createSubgraphServer, type SubgraphRuntime, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import type { CatalogApi } from './catalogApi.js';
import { productsContext } from './context.js';
import { resolvers } from './resolvers.js';

export interface ProductsDeps extends SubgraphRuntime {
  catalog: CatalogApi;
}

/** The products subgraph: the catalog, from the catalog gRPC service. */
export function createProductsServer(deps: ProductsDeps): SubgraphServer {
  return createSubgraphServer({
    name: 'products',
    typeDefs: readSubgraphSchema('products'),
    resolvers,
    createContext: productsContext(deps.catalog),
    ...deps,
  });
}
