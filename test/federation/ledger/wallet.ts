import { GraphQLError, parse } from 'graphql';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { ledger, recordEvent } from './ledgerState.js';

// Each write takes a moment, so that a gateway sending the next mutation field before this one
// answered would let the other subgraph's write overtake it.
const WRITE_DELAY_MS = 15;

async function move(amount: number) {
  await sleep(WRITE_DELAY_MS);
  if (ledger.balance + amount < 0) {
    throw new GraphQLError(`Insufficient funds: balance ${ledger.balance}, asked ${-amount}`, { extensions: { code: 'INSUFFICIENT_FUNDS' } });
  }
  ledger.balance += amount;
  return { seq: recordEvent('wallet', `${amount > 0 ? 'deposit' : 'withdraw'} ${Math.abs(amount)}`), balance: ledger.balance, account: { id: 'main' } };
}

/** The ledger scenario's wallet subgraph: the balance, and the mutations that move it. */
export const walletSubgraph: SubgraphFixture = {
  name: 'wallet',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

    type Account @key(fields: "id") {
      id: ID!
      balance: Int!
    }

    type Receipt {
      seq: Int!
      balance: Int!
      account: Account!
    }

    type Query {
      account: Account!
    }

    type Mutation {
      deposit(amount: Int!): Receipt!
      "Null, with an error, when the balance would go below zero."
      withdraw(amount: Int!): Receipt
    }
  `),
  resolvers: {
    Query: { account: () => ({ id: 'main' }) },
    Mutation: {
      deposit: (_: unknown, args: { amount: number }) => move(args.amount),
      withdraw: (_: unknown, args: { amount: number }) => move(-args.amount),
    },
    Account: {
      __resolveReference: (reference: { id: string }) => reference,
      balance: () => ledger.balance,
    },
  },
};
