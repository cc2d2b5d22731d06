import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { planById, plans, type PlanRecord } from './planData.js';

/**
 * The plans scenario's legacy subgraph: still resolves `monthlyFee` (with stale values) though
 * modern overrides it, shares `name`, `servedBy` and `Query.plans` with modern, and holds an
 * `@inaccessible` field that only modern's `@requires` may read.
 */
export const legacySubgraph: SubgraphFixture = {
  name: 'legacy',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@inaccessible"])

    type Plan @key(fields: "id") {
      id: ID!
      name: String! @shareable
      monthlyFee: Int!
      "Which subgraph answered: they must agree on everything else."
      servedBy: String! @shareable
      internalCode: String! @inaccessible
      tier: Tier!
    }

    enum Tier {
      FREE
      PAID
      GRANDFATHERED @inaccessible
    }

    type Query {
      plans: [Plan!]! @shareable
      legacyPlan(id: ID!): Plan
    }
  `),
  resolvers: {
    Query: {
      plans: () => plans,
      legacyPlan: (_: unknown, args: { id: string }) => planById.get(args.id) ?? null,
    },
    Plan: {
      __resolveReference: (reference: { id: string }) => planById.get(reference.id) ?? null,
      monthlyFee: (plan: PlanRecord) => plan.legacyFee,
      servedBy: () => 'legacy',
      // Team is a grandfathered plan: a value the supergraph hides from clients.
      tier: (plan: PlanRecord) => (plan.id === 'basic' ? 'FREE' : plan.id === 'team' ? 'GRANDFATHERED' : 'PAID'),
    },
  },
};
