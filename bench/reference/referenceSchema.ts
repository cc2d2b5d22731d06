import { buildSchema, type GraphQLSchema } from 'graphql';
import {
  benchProducts,
  benchReviews,
  benchStock,
  benchUsers,
  shippingEstimate,
  type BenchProduct,
  type BenchReview,
  type BenchUser,
} from '../subgraphs/benchData.js';

/**
 * The bench graph as one ordinary, non-federated schema over the same data: no entities, no
 * keys, no query plan. What it answers is what a correct gateway must answer.
 */
export const referenceSchema: GraphQLSchema = buildSchema(/* GraphQL */ `
  type Query {
    me: User
    users: [User]
    topProducts(first: Int = 5): [Product]
  }
  type User {
    id: ID!
    name: String
    username: String
    reviews: [Review]
  }
  type Product {
    upc: String!
    name: String
    price: Int
    weight: Int
    inStock: Boolean
    shippingEstimate: Int
    reviews: [Review]
  }
  type Review {
    id: ID!
    body: String
    author: User
    product: Product
  }
`);

// graphql-js's default resolver calls a function-valued property, so plain objects with
// methods are the whole resolver layer.

function user(record: BenchUser) {
  return { ...record, reviews: () => benchReviews.filter((r) => r.authorId === record.id).map(review) };
}

function product(record: BenchProduct) {
  return {
    ...record,
    inStock: benchStock[record.upc] ?? null,
    shippingEstimate: shippingEstimate(record),
    reviews: () => benchReviews.filter((r) => r.productUpc === record.upc).map(review),
  };
}

function review(record: BenchReview) {
  const author = benchUsers.find((u) => u.id === record.authorId);
  const item = benchProducts.find((p) => p.upc === record.productUpc);
  return {
    id: record.id,
    body: record.body,
    author: () => (author ? user(author) : null),
    product: () => (item ? product(item) : null),
  };
}

/** The root value to execute against `referenceSchema`. */
export const referenceRoot = {
  me: () => user(benchUsers[0]!),
  users: () => benchUsers.map(user),
  topProducts: ({ first }: { first: number }) => benchProducts.slice(0, first).map(product),
};
