import { createRestClient } from '../kit/rest/createRestClient.js';
import { runSubgraph } from '../kit/runSubgraph.js';
import { createAccountsServer } from './server.js';
import { createUsersApi } from './usersApi.js';

await runSubgraph({
  name: 'accounts',
  defaultPort: 4001,
  build(env, logger) {
    const users = createRestClient({
      backend: 'users',
      baseUrl: env.url('USERS_SERVICE_URL', 'http://localhost:5001'),
      timeoutMs: env.int('USERS_SERVICE_TIMEOUT_MS', 5000),
    });
    return {
      server: createAccountsServer({ usersApi: createUsersApi(users), logger, shutdownGracePeriodMs: env.int('SHUTDOWN_GRACE_PERIOD_MS', 10_000, 0) }),
      closeClients: () => users.close(),
    };
  },
});
