import { createRestClient, defaultMaxResponseBytes } from '../kit/rest/createRestClient.js';
import { runSubgraph } from '../kit/runSubgraph.js';
import { createAccountsServer } from './server.js';
import { createUsersApi } from './usersApi.js';

await runSubgraph({
  name: 'accounts',
  defaultPort: 4001,
  build(env, runtime) {
    const users = createRestClient({
      backend: 'users',
      baseUrl: env.url('USERS_SERVICE_URL', 'http://localhost:5001'),
      timeoutMs: env.int('USERS_SERVICE_TIMEOUT_MS', 5000),
      maxResponseBytes: env.int('USERS_SERVICE_MAX_RESPONSE_BYTES', defaultMaxResponseBytes),
    });
    return {
      server: createAccountsServer({ usersApi: createUsersApi(users), ...runtime }),
      closeClients: () => users.close(),
    };
  },
});
