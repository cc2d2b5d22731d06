import { runSubgraph } from '../kit/runSubgraph.js';
import { createInventoryServer } from './server.js';
import { createStockApi } from './stockApi.js';

await runSubgraph({
  name: 'inventory',
  defaultPort: 4003,
  build(env, logger) {
    const stockApi = createStockApi(
      env.address('INVENTORY_SERVICE_ADDRESS', 'localhost:50052'),
      env.int('INVENTORY_SERVICE_TIMEOUT_MS', 5000),
    );
    return {
      server: createInventoryServer({ stockApi, logger, shutdownGracePeriodMs: env.int('SHUTDOWN_GRACE_PERIOD_MS', 10_000, 0) }),
      closeClients: async () => stockApi.close(),
    };
  },
});
