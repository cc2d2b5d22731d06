import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';

/** What the gateway sends inventory for a product: the key and whatever a `@requires` asked for. */
interface ProductRepresentation {
  upc: string;
  price?: number;
  weight?: number;
  dimensions?: { size: string };
  reviewCount?: number;
}

/**
 * The shop's inventory subgraph. Its computed fields use only what `@requires` brings in the
 * entity representation (from products, and from reviews for `restockPriority`), so an answer
 * built from a wrong or missing representation shows.
 */
export const inventorySubgraph: SubgraphFixture = {
  name: 'inventory',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires"])

    type Product @key(fields: "upc") {
      upc: String!
      price: Int! @external
      weight: Int! @external
      dimensions: Dimensions! @external
      reviewCount: Int! @external
      inStock: Boolean!
      shippingEstimate: Int! @requires(fields: "price weight")
      packaging: String! @requires(fields: "dimensions { size }")
      restockPriority: Int! @requires(fields: "reviewCount price")
    }

    type Dimensions @shareable {
      size: String!
      weight: Int!
    }
  `),
  resolvers: {
    Product: {
      __resolveReference: (reference: ProductRepresentation) => reference,
      inStock: (product: ProductRepresentation) => Number(product.upc.slice(1)) % 3 !== 0,
      // Free shipping over 100, else proportional to weight.
      shippingEstimate: (product: ProductRepresentation) => ((product.price ?? NaN) > 100 ? 0 : (product.weight ?? NaN) * 2),
      packaging: (product: ProductRepresentation) => (product.dimensions?.size === 'L' ? 'crate' : 'box'),
      restockPriority: (product: ProductRepresentation) => (product.reviewCount ?? NaN) * 10 + ((product.price ?? NaN) % 7),
    },
  },
};
