import { composeServices } from '@apollo/composition';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import { parse } from 'graphql';

const link = (imports: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports}])`;

/** The federation community benchmark's four subgraphs (accounts, inventory, products, reviews). */
export const shopSubgraphs = {
  accounts: `${link('"@key", "@shareable"')}
    type Query { me: User users: [User] }
    type User @key(fields: "id") { id: ID! name: String username: String @shareable }`,
  inventory: `${link('"@key", "@external", "@requires"')}
    type Product @key(fields: "upc") { upc: String! weight: Int @external price: Int @external inStock: Boolean shippingEstimate: Int @requires(fields: "price weight") }`,
  products: `${link('"@key"')}
    type Query { topProducts(first: Int = 5): [Product] }
    type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
  reviews: `${link('"@key", "@external", "@provides"')}
    type Review @key(fields: "id") { id: ID! body: String author: User @provides(fields: "username") product: Product }
    type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
    type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
};

/** Composes `subgraphs` and plans `query` with Apollo's query planner (deferred fragments planned, as the gateway plans them, with `defer`). */
export function planFor(subgraphs: Record<string, string>, query: string, options: { defer?: boolean } = {}): { plan: QueryPlan; supergraph: Supergraph } {
  const composed = composeServices(Object.entries(subgraphs).map(([name, sdl]) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(sdl) })));
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  const supergraph = Supergraph.build(composed.supergraphSdl);
  const config = options.defer ? { incrementalDelivery: { enableDefer: true } } : undefined;
  const plan = new QueryPlanner(supergraph, config).buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(query)));
  return { plan, supergraph };
}
