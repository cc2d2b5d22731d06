import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { media, people, typeOfId } from './libraryData.js';

const resolveType = (item: { id: string }) => typeOfId(item.id);

/**
 * The library's search subgraph: a union and an interface over entities of two other subgraphs,
 * knowing nothing of them but their keys.
 */
export const searchSubgraph: SubgraphFixture = {
  name: 'search',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

    interface Node {
      id: ID!
    }

    type Book implements Node @key(fields: "id", resolvable: false) {
      id: ID!
    }

    type Movie implements Node @key(fields: "id", resolvable: false) {
      id: ID!
    }

    type Person implements Node @key(fields: "id", resolvable: false) {
      id: ID!
    }

    union SearchResult = Book | Movie | Person

    type Query {
      search(term: String!): [SearchResult!]!
      "Null for an id of nothing."
      nodes(ids: [ID!]!): [Node]!
    }
  `),
  resolvers: {
    Query: {
      search: (_: unknown, args: { term: string }) => {
        const term = args.term.toLowerCase();
        return [...media.map(({ id, title }) => ({ id, text: title })), ...people.map(({ id, name }) => ({ id, text: name }))]
          .filter((entry) => entry.text.toLowerCase().includes(term))
          .map(({ id }) => ({ id }));
      },
      nodes: (_: unknown, args: { ids: string[] }) => args.ids.map((id) => (typeOfId(id) ? { id } : null)),
    },
    SearchResult: { __resolveType: resolveType },
    Node: { __resolveType: resolveType },
  },
};
