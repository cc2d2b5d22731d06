import { useApolloClient, useSubscription } from '@apollo/client/react';
import { graphql } from '../generated';
import { addReviewToProduct } from './addReviewToProduct';

/**
 * New reviews of a product as they are posted, by anyone: the gateway's `reviewAdded`
 * subscription over the app's WebSocket. Each one is added to `Product:{upc}` in the cache, so
 * the product page re-renders with it; nothing is asked again.
 */
export const ReviewAddedSubscription = graphql(`
  subscription ReviewAdded($upc: String!) {
    reviewAdded(productUpc: $upc) {
      id
      body
      rating
      author {
        id
        name
      }
    }
  }
`);

export function useLiveReviews(upc: string): void {
  const client = useApolloClient();
  useSubscription(ReviewAddedSubscription, {
    variables: { upc },
    onData: ({ data }) => {
      const review = data.data?.reviewAdded;
      if (review) addReviewToProduct(client.cache, upc, review);
    },
  });
}
