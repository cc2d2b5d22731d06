import { useQuery } from '@apollo/client/react';
import { config } from '../config';
import { graphql } from '../generated';

/**
 * New reviews by asking again every `config.reviewsPollMs`: the answer lands in the cache under
 * the same `Product:{upc}`, so the product page re-renders with it. Its replacement is the
 * `reviewAdded` subscription (README, "Web client": the change is in this file only).
 */
export const ProductReviewsQuery = graphql(`
  query ProductReviews($upc: String!) {
    product(upc: $upc) {
      upc
      ...ProductReviews
    }
  }
`);

export function useLiveReviews(upc: string): void {
  useQuery(ProductReviewsQuery, { variables: { upc }, pollInterval: config.reviewsPollMs, fetchPolicy: 'network-only', errorPolicy: 'all' });
}
