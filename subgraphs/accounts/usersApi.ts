import type { CallOptions, RestClient } from '../kit/rest/createRestClient.js';

/** A user as the users service returns it. */
export interface UserRecord {
  id: string;
  username: string;
  name: string;
  email: string;
}

/** Most ids `GET /users?ids=` takes in one call. */
export const usersBatchLimit = 100;

/** The users REST service, as this subgraph uses it. */
export interface UsersApi {
  /** Users by id, at most `usersBatchLimit`; unknown ids are left out. */
  byIds(ids: readonly string[], call: CallOptions): Promise<UserRecord[]>;
  /** The first `count` users by id. */
  first(count: number, call: CallOptions): Promise<UserRecord[]>;
}

export function createUsersApi(client: RestClient): UsersApi {
  return {
    async byIds(ids, call) {
      const query = ids.map(encodeURIComponent).join(',');
      return (await client.get<{ users: UserRecord[] }>(`/users?ids=${query}`, call)).users;
    },
    async first(count, call) {
      return (await client.get<{ users: UserRecord[] }>(`/users?first=${count}`, call)).users;
    },
  };
}
