import type { BenchSubgraph } from './BenchSubgraph.js';
import { benchUsers } from './benchData.js';
import { readSdl } from './readSdl.js';

export const accounts: BenchSubgraph = {
  name: 'accounts',
  typeDefs: readSdl('accounts'),
  resolvers: {
    Query: {
      me: () => benchUsers[0],
      users: () => benchUsers,
    },
    User: {
      __resolveReference: ({ id }: { id: string }) => benchUsers.find((user) => user.id === id) ?? null,
    },
  },
};
