import { runSubgraph } from '../kit/runSubgraph.js';
import { createCatalogApi } from './catalogApi.js';
import { createProductsServer } from './server.js';

await runSubgraph({
  name: 'products',
  defaultPort: 4002,
  build(env, runtime) {
    const catalog = createCatalogApi(env.address('CATALOG_SERVICE_ADDRESS', 'localhost:50051'), env.int('CATALOG_SERVICE_TIMEOUT_MS', 5000));
    return {
      server: createProductsServer({ catalog, ...runtime }),
      closeClients: async () => catalog.close(),
    };
  },
});
