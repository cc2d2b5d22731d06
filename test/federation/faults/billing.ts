import { GraphQLError, parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';

// As a resolver that loads would be: o5's failure is o5's alone. It resolves to the error rather
// than rejecting (graphql-js fails the item either way): when o7 makes @apollo/subgraph give up
// on a whole batch, nothing awaits the keys before it, and a rejection would go unhandled.
async function loadOrder(id: string): Promise<{ id: string } | GraphQLError | null> {
  if (id === 'o4') return null;
  if (id === 'o5') return new GraphQLError('Order o5 is archived', { extensions: { code: 'ARCHIVED' } });
  return { id };
}

/**
 * The faults scenario's billing subgraph: adds fields to orders, each order failing its own way.
 * o1 is fine; o2's total throws (coded); o3's non-null paidAt is null; o4 is unknown here
 * (`_entities` answers null); o5's reference fails; o6's payments hold a null non-null amount;
 * o7's reference throws at once, failing the whole entity fetch.
 */
export const billingSubgraph: SubgraphFixture = {
  name: 'billing',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

    type Order @key(fields: "id") {
      id: ID!
      total: Int
      paidAt: String!
      invoice: Invoice
      payments: [Payment!]
    }

    type Invoice {
      number: String!
      "Null for o2: its non-null number is."
      pdf: String
    }

    type Payment {
      amount: Int!
      method: String
    }
  `),
  resolvers: {
    Order: {
      __resolveReference: (reference: { id: string }) => {
        // Thrown before any promise exists: @apollo/subgraph's whole _entities field fails.
        if (reference.id === 'o7') throw new GraphQLError('Billing index corrupt', { extensions: { code: 'INDEX_CORRUPT' } });
        return loadOrder(reference.id);
      },
      total: (order: { id: string }) => {
        if (order.id === 'o2') throw new GraphQLError('Ledger unavailable for o2', { extensions: { code: 'LEDGER_DOWN' } });
        return Number(order.id.slice(1)) * 100;
      },
      paidAt: (order: { id: string }) => (order.id === 'o3' ? null : `2024-01-0${order.id.slice(1)}`),
      invoice: (order: { id: string }) => ({ number: order.id === 'o2' ? null : `INV-${order.id}`, pdf: `/invoices/${order.id}.pdf` }),
      payments: (order: { id: string }) =>
        order.id === 'o6'
          ? [
              { amount: 5, method: 'card' },
              { amount: null, method: 'cash' },
            ]
          : [{ amount: 100, method: null }],
    },
  },
};
