import type { ApolloCache } from '@apollo/client';
import type { ProductReviewsFragment } from '../generated/graphql';
import { ProductReviewsFragmentDoc } from './ReviewList';

type Review = NonNullable<ProductReviewsFragment['reviews']>[number];

/**
 * Adds a review to the product's cached reviews, once: the author's page gets it both from its
 * mutation and from the subscription. Nothing to add to before the reviews themselves are there
 * (a deferred part still on its way brings the new one with it).
 */
export function addReviewToProduct(cache: ApolloCache, upc: string, review: Review): void {
  cache.updateFragment({ fragment: ProductReviewsFragmentDoc, id: cache.identify({ __typename: 'Product', upc }) }, (product) => {
    if (!product?.reviews || product.reviews.some((known) => known.id === review.id)) return undefined;
    return { ...product, reviews: [...product.reviews, review] };
  });
}
