/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query TopProducts($first: Int!) {\n    topProducts(first: $first) {\n      upc\n      name\n      price\n      inStock\n      reviews {\n        id\n        rating\n      }\n    }\n  }\n": typeof types.TopProductsDocument,
    "\n  query Product($upc: String!) {\n    product(upc: $upc) {\n      upc\n      name\n      price\n      weight\n      inStock\n      warehouse\n      shippingEstimate\n      quantity\n      ...ProductReviews @defer\n    }\n  }\n": typeof types.ProductDocument,
    "\n  mutation CreateReview($input: CreateReviewInput!) {\n    createReview(input: $input) {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateReviewDocument,
    "\n  fragment ProductReviews on Product {\n    reviews {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ProductReviewsFragmentDoc,
    "\n  subscription ReviewAdded($upc: String!) {\n    reviewAdded(productUpc: $upc) {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ReviewAddedDocument,
    "\n  query Me {\n    me {\n      id\n      name\n    }\n  }\n": typeof types.MeDocument,
};
const documents: Documents = {
    "\n  query TopProducts($first: Int!) {\n    topProducts(first: $first) {\n      upc\n      name\n      price\n      inStock\n      reviews {\n        id\n        rating\n      }\n    }\n  }\n": types.TopProductsDocument,
    "\n  query Product($upc: String!) {\n    product(upc: $upc) {\n      upc\n      name\n      price\n      weight\n      inStock\n      warehouse\n      shippingEstimate\n      quantity\n      ...ProductReviews @defer\n    }\n  }\n": types.ProductDocument,
    "\n  mutation CreateReview($input: CreateReviewInput!) {\n    createReview(input: $input) {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n": types.CreateReviewDocument,
    "\n  fragment ProductReviews on Product {\n    reviews {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n": types.ProductReviewsFragmentDoc,
    "\n  subscription ReviewAdded($upc: String!) {\n    reviewAdded(productUpc: $upc) {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n": types.ReviewAddedDocument,
    "\n  query Me {\n    me {\n      id\n      name\n    }\n  }\n": types.MeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TopProducts($first: Int!) {\n    topProducts(first: $first) {\n      upc\n      name\n      price\n      inStock\n      reviews {\n        id\n        rating\n      }\n    }\n  }\n"): (typeof documents)["\n  query TopProducts($first: Int!) {\n    topProducts(first: $first) {\n      upc\n      name\n      price\n      inStock\n      reviews {\n        id\n        rating\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Product($upc: String!) {\n    product(upc: $upc) {\n      upc\n      name\n      price\n      weight\n      inStock\n      warehouse\n      shippingEstimate\n      quantity\n      ...ProductReviews @defer\n    }\n  }\n"): (typeof documents)["\n  query Product($upc: String!) {\n    product(upc: $upc) {\n      upc\n      name\n      price\n      weight\n      inStock\n      warehouse\n      shippingEstimate\n      quantity\n      ...ProductReviews @defer\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateReview($input: CreateReviewInput!) {\n    createReview(input: $input) {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateReview($input: CreateReviewInput!) {\n    createReview(input: $input) {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductReviews on Product {\n    reviews {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ProductReviews on Product {\n    reviews {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ReviewAdded($upc: String!) {\n    reviewAdded(productUpc: $upc) {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ReviewAdded($upc: String!) {\n    reviewAdded(productUpc: $upc) {\n      id\n      body\n      rating\n      author {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      name\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;