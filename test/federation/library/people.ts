import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { media, mediaById, personById, type PersonRecord } from './libraryData.js';

/** The library's people subgraph: owns `Person` (a `Node` too) and adds authors to books. */
export const peopleSubgraph: SubgraphFixture = {
  name: 'people',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

    interface Node {
      id: ID!
    }

    type Person implements Node @key(fields: "id") {
      id: ID!
      name: String!
      books: [Book!]!
    }

    type Book @key(fields: "id") {
      id: ID!
      author: Person
    }
  `),
  resolvers: {
    Person: {
      __resolveReference: (reference: { id: string }) => personById.get(reference.id) ?? null,
      books: (person: PersonRecord) => media.filter((item) => item.kind === 'Book' && item.authorId === person.id).map(({ id }) => ({ id })),
    },
    Book: {
      author: (book: { id: string }) => {
        const authorId = mediaById.get(book.id)?.authorId;
        return authorId ? personById.get(authorId) : null;
      },
    },
  },
};
