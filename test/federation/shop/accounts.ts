import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { userById, users, type UserRecord } from './shopData.js';

/** The shop's accounts subgraph: owns `User`, its root fields, and links users to users. */
export const accountsSubgraph: SubgraphFixture = {
  name: 'accounts',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

    type User @key(fields: "id") {
      id: ID!
      name: String!
      "Shareable: reviews provides it with a review's author."
      username: String! @shareable
      birthYear: Int
      friends: [User!]!
      nicknames: [String]
    }

    type Query {
      me: User
      user(id: ID!): User
      users(first: Int = 10, offset: Int = 0): [User!]!
      "Null for an unknown id."
      usersById(ids: [ID!]!): [User]!
    }
  `),
  resolvers: {
    Query: {
      me: () => userById.get('u1'),
      user: (_: unknown, args: { id: string }) => userById.get(args.id) ?? null,
      users: (_: unknown, args: { first: number; offset: number }) => users.slice(args.offset, args.offset + args.first),
      usersById: (_: unknown, args: { ids: string[] }) => args.ids.map((id) => userById.get(id) ?? null),
    },
    User: {
      __resolveReference: (reference: { id: string }) => userById.get(reference.id) ?? null,
      friends: (user: UserRecord) => user.friendIds.map((id) => userById.get(id)),
    },
  },
};
