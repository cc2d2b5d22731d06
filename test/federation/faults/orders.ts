import { GraphQLError, parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';

interface OrderRecord {
  id: string;
  label: string;
  /** Non-null in the schema; null for o6, so the subgraph itself answers errors and partial data. */
  reference: string | null;
  lines: { sku: string | null; qty: number }[];
}

// o1 to o7; what goes wrong with each is in billing.ts, except o6's reference.
const orders: OrderRecord[] = Array.from({ length: 7 }, (_, i) => ({
  id: `o${i + 1}`,
  label: `Order ${i + 1}`,
  reference: i === 5 ? null : `REF-${i + 1}`,
  lines:
    i === 1
      ? [
          { sku: 'A', qty: 1 },
          { sku: null, qty: 2 },
        ]
      : [{ sku: 'A', qty: i + 1 }],
}));
const orderById = new Map(orders.map((order) => [order.id, order]));

/** The faults scenario's orders subgraph: root fields that fail in every way a root field can. */
export const ordersSubgraph: SubgraphFixture = {
  name: 'orders',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

    type Order @key(fields: "id") {
      id: ID!
      label: String!
      reference: String!
      lines: [Line!]!
    }

    type Line {
      sku: String!
      qty: Int!
    }

    type Query {
      "Non-null items: one null order nulls the list, and the list is non-null too."
      orders: [Order!]!
      "Nullable items."
      looseOrders: [Order]!
      "Null for an unknown id."
      ordersById(ids: [ID!]!): [Order]!
      "A nullable list of non-null items."
      strictOrdersById(ids: [ID!]!): [Order!]
      "Throws a plain Error."
      broken: String
      "Throws a coded GraphQLError."
      forbidden: String
      "Throws, and is non-null."
      brokenNonNull: String!
    }
  `),
  resolvers: {
    Query: {
      orders: () => orders,
      looseOrders: () => orders,
      ordersById: (_: unknown, args: { ids: string[] }) => args.ids.map((id) => orderById.get(id) ?? null),
      strictOrdersById: (_: unknown, args: { ids: string[] }) => args.ids.map((id) => orderById.get(id) ?? null),
      broken: () => {
        throw new Error('orders database refused the connection');
      },
      forbidden: () => {
        throw new GraphQLError('Only auditors may read this', { extensions: { code: 'FORBIDDEN' } });
      },
      brokenNonNull: () => {
        throw new Error('no value today');
      },
    },
    Order: {
      __resolveReference: (reference: { id: string }) => orderById.get(reference.id) ?? null,
    },
  },
};
