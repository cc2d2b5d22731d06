import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { media, mediaById, type MediaRecord } from './libraryData.js';

const byKind = (kind: MediaRecord['kind']) => (item: MediaRecord) => item.kind === kind;

/**
 * The library's catalog subgraph: owns the entity interface `Media` (which ratings extends as an
 * `@interfaceObject`) and its implementations, which also implement `Node` as people's do.
 */
export const catalogSubgraph: SubgraphFixture = {
  name: 'catalog',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

    interface Node {
      id: ID!
    }

    interface Media @key(fields: "id") {
      id: ID!
      title: String!
    }

    type Book implements Media & Node @key(fields: "id") {
      id: ID!
      title: String!
      pages: Int!
    }

    type Movie implements Media & Node @key(fields: "id") {
      id: ID!
      title: String!
      minutes: Int!
    }

    type Query {
      media: [Media!]!
      mediaItem(id: ID!): Media
      books: [Book!]!
    }
  `),
  resolvers: {
    Query: {
      media: () => media,
      mediaItem: (_: unknown, args: { id: string }) => mediaById.get(args.id) ?? null,
      books: () => media.filter(byKind('Book')),
    },
    Media: {
      // Ratings sends { __typename: "Media", id }: the concrete type is found here.
      __resolveReference: (reference: { id: string }) => mediaById.get(reference.id) ?? null,
      __resolveType: (item: MediaRecord) => item.kind,
    },
    Book: {
      __resolveReference: (reference: { id: string }) => mediaById.get(reference.id) ?? null,
      pages: (item: MediaRecord) => item.length,
    },
    Movie: {
      __resolveReference: (reference: { id: string }) => mediaById.get(reference.id) ?? null,
      minutes: (item: MediaRecord) => item.length,
    },
  },
};
