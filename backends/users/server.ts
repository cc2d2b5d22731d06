import type { Server } from 'node:http';
import { createLogger, type Logger } from '../../common/createLogger.js';
import type { User } from '../data/types.js';
import { createRestServer } from '../rest/createRestServer.js';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { parseIdList } from '../rest/parseIdList.js';

export interface UsersServerDeps {
  users: readonly User[];
  /** Most users one `?first=` listing returns. @default 500 */
  maxListSize?: number;
  /** @default a logger named 'users' */
  logger?: Logger;
}

/**
 * The users REST service: one user by id, a batch of up to 100 by `?ids=`, or the first users
 * by id with `?first=`. Built, not listening; `index.ts` decides the port.
 */
export function createUsersServer(deps: UsersServerDeps): Server {
  const byId = new Map(deps.users.map((user) => [user.id, structuredClone(user)]));
  const maxListSize = deps.maxListSize ?? 500;
  return createRestServer({
    logger: deps.logger ?? createLogger({ name: 'users' }),
    routes: [
      {
        method: 'GET',
        pattern: '/users/:id',
        handler: ({ params }) => {
          const user = byId.get(params.id!);
          if (!user) throw new HttpError(ErrorCode.NOT_FOUND, `no user with id '${params.id}'`);
          return { status: 200, body: user };
        },
      },
      {
        method: 'GET',
        pattern: '/users',
        handler: ({ query }) => {
          if (query.has('first')) return { status: 200, body: { users: [...byId.values()].slice(0, parseFirst(query.get('first')!, maxListSize)) } };
          const users = parseIdList(query, 'ids').flatMap((id) => byId.get(id) ?? []);
          return { status: 200, body: { users } };
        },
      },
    ],
  });
}

function parseFirst(value: string, maxListSize: number): number {
  const first = Number(value);
  if (!Number.isInteger(first) || first < 1 || first > maxListSize) {
    throw new HttpError(ErrorCode.BAD_REQUEST, `query parameter 'first' must be an integer from 1 to ${maxListSize}, got '${value}'`);
  }
  return first;
}
