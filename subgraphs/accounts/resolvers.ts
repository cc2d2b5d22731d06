import { requireIntInRange } from '../kit/requireIntInRange.js';
import type { Resolvers } from './generated/resolvers-types.js';

export const resolvers: Resolvers = {
  Query: {
    me: (_parent, _args, { viewer, users }) => (viewer ? users.load(viewer.subject) : null),
    user: (_parent, { id }, { users }) => users.load(id),
    users: async (_parent, { first }, context) => {
      const found = await context.usersApi.first(requireIntInRange('first', first, 1, context.usersListLimit), context);
      // Later lookups of these users in the same request (entity references) need no call.
      for (const user of found) context.users.prime(user.id, user);
      return found;
    },
  },
  User: {
    __resolveReference: ({ id }, { users }) => users.load(id),
  },
};
