import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { productByUpc, products, type ProductRecord } from './shopData.js';

/** The shop's products subgraph: owns `Product` and its price and weight. */
export const productsSubgraph: SubgraphFixture = {
  name: 'products',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

    type Product @key(fields: "upc") {
      upc: String!
      name: String!
      price: Int!
      weight: Int!
      dimensions: Dimensions!
      tagGroups: [[String!]]!
      related: [Product]!
      category: Category
    }

    type Dimensions @shareable {
      size: String!
      weight: Int!
    }

    enum Category {
      FURNITURE
      KITCHEN
      GARDEN
    }

    type Query {
      topProducts(first: Int = 5): [Product!]!
      product(upc: String!): Product
      "Null for an unknown UPC."
      productsByUpc(upcs: [String!]!): [Product]!
    }
  `),
  resolvers: {
    Query: {
      topProducts: (_: unknown, args: { first: number }) => products.slice(0, args.first),
      product: (_: unknown, args: { upc: string }) => productByUpc.get(args.upc) ?? null,
      productsByUpc: (_: unknown, args: { upcs: string[] }) => args.upcs.map((upc) => productByUpc.get(upc) ?? null),
    },
    Product: {
      // An unknown UPC is no product: `_entities` answers null for it.
      __resolveReference: (reference: { upc: string }) => productByUpc.get(reference.upc) ?? null,
      related: (product: ProductRecord) => product.relatedUpcs.map((upc) => (upc === null ? null : productByUpc.get(upc))),
    },
  },
};
