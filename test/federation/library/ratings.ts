import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { media, ratings } from './libraryData.js';

const average = (stars: number[]) => (stars.length === 0 ? null : stars.reduce((sum, n) => sum + n, 0) / stars.length);

/**
 * The library's ratings subgraph: adds fields to every `Media` through `@interfaceObject`,
 * without knowing books from movies, and returns media of its own choosing.
 */
export const ratingsSubgraph: SubgraphFixture = {
  name: 'ratings',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@interfaceObject"])

    type Media @key(fields: "id") @interfaceObject {
      id: ID!
      averageRating: Float
      "Null for media nobody rated yet."
      stars: [Int!]
    }

    type Query {
      "Rated media, best first."
      topRated(first: Int = 3): [Media!]!
    }
  `),
  resolvers: {
    Query: {
      topRated: (_: unknown, args: { first: number }) =>
        media
          .filter((item) => (ratings[item.id]?.length ?? 0) > 0)
          .sort((a, b) => (average(ratings[b.id] ?? []) ?? 0) - (average(ratings[a.id] ?? []) ?? 0) || a.id.localeCompare(b.id))
          .slice(0, args.first)
          .map((item) => ({ id: item.id })),
    },
    Media: {
      __resolveReference: (reference: { id: string }) => reference,
      averageRating: (item: { id: string }) => average(ratings[item.id] ?? []),
      stars: (item: { id: string }) => ratings[item.id] ?? null,
    },
  },
};
