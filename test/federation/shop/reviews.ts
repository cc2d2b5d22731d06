import { parse } from 'graphql';
import type { SubgraphFixture } from '../../gateway/fixtures/startSubgraph.js';
import { reviews, userById, type ReviewRecord } from './shopData.js';

const reviewById = new Map(reviews.map((review) => [review.id, review]));

/**
 * The shop's reviews subgraph: owns `Review`, adds reviews to users and products, and provides
 * the author's `username` so that reading it needs no accounts fetch.
 */
export const reviewsSubgraph: SubgraphFixture = {
  name: 'reviews',
  typeDefs: parse(/* GraphQL */ `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@provides"])

    type Review @key(fields: "id") {
      id: ID!
      body: String!
      rating: Int!
      author: User! @provides(fields: "username")
      product: Product!
    }

    type User @key(fields: "id") {
      id: ID!
      username: String! @external
      reviews: [Review!]!
      "Lists of lists: a null list, null items, unknown products, the same product twice."
      wishlists: [[Product]]
    }

    type Product @key(fields: "upc") {
      upc: String!
      reviews: [Review!]!
      reviewCount: Int!
    }

    type Query {
      review(id: ID!): Review
      latestReviews(first: Int = 5): [Review!]!
    }
  `),
  resolvers: {
    Query: {
      review: (_: unknown, args: { id: string }) => reviewById.get(args.id) ?? null,
      latestReviews: (_: unknown, args: { first: number }) => reviews.slice(-args.first).reverse(),
    },
    Review: {
      __resolveReference: (reference: { id: string }) => reviewById.get(reference.id) ?? null,
      author: (review: ReviewRecord) => ({ id: review.authorId, username: userById.get(review.authorId)?.username }),
      product: (review: ReviewRecord) => ({ upc: review.productUpc }),
    },
    User: {
      reviews: (user: { id: string }) => reviews.filter((review) => review.authorId === user.id),
      wishlists: (user: { id: string }) => {
        const i = Number(user.id.slice(1));
        if (i % 3 === 0) return null;
        const upc = (n: number) => ({ upc: `p${n}` });
        return [[upc(i), upc(i + 1), upc(i)], null, [{ upc: 'gone' }, null, upc(i)]];
      },
    },
    Product: {
      reviews: (product: { upc: string }) => reviews.filter((review) => review.productUpc === product.upc),
      reviewCount: (product: { upc: string }) => reviews.filter((review) => review.productUpc === product.upc).length,
    },
  },
};
