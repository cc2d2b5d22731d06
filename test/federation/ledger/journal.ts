import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { ledger, recordEvent } from './ledgerState.js';

/** The ledger scenario's journal subgraph: notes, and the history of every write. */
export const journalSubgraph: SubgraphFixture = {
  name: 'journal',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

    type Account @key(fields: "id") {
      id: ID!
      "Every write so far, oldest first."
      history: [String!]!
    }

    type Entry {
      seq: Int!
      text: String!
      "The balance when the note was written."
      seenBalance: Int!
      account: Account!
    }

    type Mutation {
      note(text: String!): Entry!
    }
  `),
  resolvers: {
    Mutation: {
      note: (_: unknown, args: { text: string }) => ({
        seq: recordEvent('journal', args.text),
        text: args.text,
        seenBalance: ledger.balance,
        account: { id: 'main' },
      }),
    },
    Account: {
      __resolveReference: (reference: { id: string }) => reference,
      history: () => ledger.events.map((event) => `${event.seq} ${event.subgraph}: ${event.text}`),
    },
  },
};
