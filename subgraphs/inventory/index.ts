import { runSubgraph } from '../kit/runSubgraph.js';
import { createInventoryServer } from './server.js';
import { createStockApi } from './stockApi.js';

await runSubgraph({
  name: 'inventory',
  defaultPort: 4003,
  build(env, runtime) {
    const stockApi = createStockApi(env.address('INVENTORY_SERVICE_ADDRESS', 'localhost:50052'), env.int('INVENTORY_SERVICE_TIMEOUT_MS', 5000));
    return {
      server: createInventoryServer({ stockApi, ...runtime }),
      closeClients: async () => stockApi.close(),
    };
  },
});
