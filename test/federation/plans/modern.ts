import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { planById, plans, type PlanRecord } from './planData.js';

/** The plans scenario's modern subgraph: has taken `monthlyFee` over from legacy. */
export const modernSubgraph: SubgraphFixture = {
  name: 'modern',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@override", "@external", "@requires"])

    type Plan @key(fields: "id") {
      id: ID!
      name: String! @shareable
      monthlyFee: Int! @override(from: "legacy")
      servedBy: String! @shareable
      internalCode: String! @external
      "Derived from a field clients cannot see."
      discountCode: String! @requires(fields: "internalCode")
      features: [String!]!
    }

    type Query {
      plans: [Plan!]! @shareable
      plan(id: ID!): Plan
    }
  `),
  resolvers: {
    Query: {
      plans: () => plans,
      plan: (_: unknown, args: { id: string }) => planById.get(args.id) ?? null,
    },
    Plan: {
      __resolveReference: (reference: { id: string; internalCode?: string }) => {
        const plan = planById.get(reference.id);
        // The representation's internalCode, not our own copy: it is what @requires brought.
        return plan ? { ...plan, internalCode: reference.internalCode } : null;
      },
      monthlyFee: (plan: PlanRecord) => plan.fee,
      servedBy: () => 'modern',
      discountCode: (plan: { internalCode?: string }) => `SAVE-${plan.internalCode ?? 'missing'}`,
    },
  },
};
