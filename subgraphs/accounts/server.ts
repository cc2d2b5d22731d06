import { createSubgraphServer, type SubgraphRuntime, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import { accountsContext } from './context.js';
import { resolvers } from './resolvers.js';
import type { UsersApi } from './usersApi.js';

export interface AccountsDeps extends SubgraphRuntime {
  usersApi: UsersApi;
  /** Most users `users(first:)` lists; the users service must list as many. @default 500 */
  usersListLimit?: number;
}

/** The accounts subgraph: users, from the users REST service. */
export function createAccountsServer(deps: AccountsDeps): SubgraphServer {
  return createSubgraphServer({
    name: 'accounts',
    typeDefs: readSubgraphSchema('accounts'),
    resolvers,
    createContext: accountsContext(deps.usersApi, deps.usersListLimit ?? 500),
    ...deps,
  });
}
