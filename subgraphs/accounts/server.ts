import type { Logger } from '../../common/createLogger.js';
import { createSubgraphServer, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import { accountsContext } from './context.js';
import { resolvers } from './resolvers.js';
import type { UsersApi } from './usersApi.js';

export interface AccountsDeps {
  usersApi: UsersApi;
  logger: Logger;
  development?: boolean;
  /** How long a stopping subgraph lets requests in flight run. @default 10000 */
  shutdownGracePeriodMs?: number;
}

/** The accounts subgraph: users, from the users REST service. */
export function createAccountsServer(deps: AccountsDeps): SubgraphServer {
  return createSubgraphServer({
    name: 'accounts',
    typeDefs: readSubgraphSchema('accounts'),
    resolvers,
    createContext: accountsContext(deps.usersApi),
    logger: deps.logger,
    development: deps.development,
    shutdownGracePeriodMs: deps.shutdownGracePeriodMs,
  });
}
