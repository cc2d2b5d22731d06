import type DataLoader from 'dataloader';
import { createBatchLoader } from '../kit/loaders/createBatchLoader.js';
import type { RequestScope } from '../kit/requestScope.js';
import type { UserRecord, UsersApi } from './usersApi.js';

export interface AccountsContext extends RequestScope {
  usersApi: UsersApi;
  /** Most users `users(first:)` lists. */
  usersListLimit: number;
  /** Users by id, batched into `GET /users?ids=` within the call's limits; null for an unknown id. */
  users: DataLoader<string, UserRecord | null>;
}

/** Builds each request's context: its own loaders, so no cache is shared between callers. */
export function accountsContext(usersApi: UsersApi, usersListLimit: number) {
  return (scope: RequestScope): AccountsContext => ({
    ...scope,
    usersApi,
    usersListLimit,
    users: createBatchLoader({
      ...usersApi.byIdsLimits,
      fetch: (ids) => usersApi.byIds(ids, scope),
      keyOf: (user) => user.id,
    }),
  });
}
