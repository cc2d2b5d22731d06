import type { BatchLimits } from '../kit/loaders/BatchLimits.js';
import { commaSeparatedIds } from '../kit/rest/commaSeparatedIds.js';
import type { CallOptions, RestClient } from '../kit/rest/createRestClient.js';

/** A user as the users service returns it. */
export interface UserRecord {
  id: string;
  username: string;
  name: string;
  email: string;
}

/** Most ids `GET /users?ids=` takes in one call. */
const usersBatchLimit = 100;

/** The users REST service, as this subgraph uses it. */
export interface UsersApi {
  /** Users by id, within `byIdsLimits`; unknown ids are left out. */
  byIds(ids: readonly string[], call: CallOptions): Promise<UserRecord[]>;
  /** What one `byIds` call can carry: how many ids, which ids, and how many bytes of them. */
  byIdsLimits: BatchLimits<string>;
  /** The first `count` users by id. */
  first(count: number, call: CallOptions): Promise<UserRecord[]>;
}

export function createUsersApi(client: RestClient): UsersApi {
  const idList = commaSeparatedIds(client, { path: '/users', param: 'ids', maxIds: usersBatchLimit });
  return {
    async byIds(ids, call) {
      return (await client.get<{ users: UserRecord[] }>(idList.pathFor(ids), call)).users;
    },
    byIdsLimits: idList.limits,
    async first(count, call) {
      return (await client.get<{ users: UserRecord[] }>(`/users?first=${count}`, call)).users;
    },
  };
}
