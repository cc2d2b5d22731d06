import { runSubgraph } from '../kit/runSubgraph.js';
import { createCatalogApi } from './catalogApi.js';
import { createProductsServer } from './server.js';

await runSubgraph({
  name: 'products',
  defaultPort: 4002,
  build(env, logger) {
    const catalog = createCatalogApi(
      env.address('CATALOG_SERVICE_ADDRESS', 'localhost:50051'),
      env.int('CATALOG_SERVICE_TIMEOUT_MS', 5000),
    );
    return {
      server: createProductsServer({ catalog, logger, shutdownGracePeriodMs: env.int('SHUTDOWN_GRACE_PERIOD_MS', 10_000, 0) }),
      closeClients: async () => catalog.close(),
    };
  },
});
