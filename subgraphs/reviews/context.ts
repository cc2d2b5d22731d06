import type DataLoader from 'dataloader';
import { createLimiter } from '../kit/loaders/createLimiter.js';
import { createPerItemLoader } from '../kit/loaders/createPerItemLoader.js';
import type { RequestScope } from '../kit/requestScope.js';
import type { ReviewEvents } from './reviewEvents.js';
import type { ReviewRecord, ReviewsApi } from './reviewsApi.js';

/**
 * Calls in flight to the reviews service per request, across all three loaders. The service has
 * no batch endpoint, so a list of 200 users means 200 calls; this keeps one request from opening
 * 200 at once.
 */
export const reviewsConcurrency = 16;

export interface ReviewsContext extends RequestScope {
  reviewsApi: ReviewsApi;
  /** Where `createReview` announces a review and `reviewAdded` listens: shared by every request. */
  reviewEvents: ReviewEvents;
  /** Reviews by id; null for an unknown id. */
  review: DataLoader<string, ReviewRecord | null>;
  /** A product's reviews, by UPC. */
  productReviews: DataLoader<string, ReviewRecord[]>;
  /** A user's reviews, by user id. */
  userReviews: DataLoader<string, ReviewRecord[]>;
}

/** Builds each request's context: its own loaders, so no cache is shared between callers. */
export function reviewsContext(reviewsApi: ReviewsApi, reviewEvents: ReviewEvents) {
  return (scope: RequestScope): ReviewsContext => {
    // One limiter for the service: a loader each would allow three times the cap.
    const limiter = createLimiter(reviewsConcurrency, scope.signal);
    const review = createPerItemLoader({ limiter, fetch: (id: string) => reviewsApi.byId(id, scope) });
    // Reviews that arrive in a list are primed so that resolving one by id needs no call.
    const listLoader = (fetch: (key: string) => Promise<ReviewRecord[]>) =>
      createPerItemLoader({
        limiter,
        fetch: async (key: string) => {
          const found = await fetch(key);
          for (const item of found) review.prime(item.id, item);
          return found;
        },
      });
    return {
      ...scope,
      reviewsApi,
      reviewEvents,
      review,
      productReviews: listLoader((upc) => reviewsApi.forProduct(upc, scope)),
      userReviews: listLoader((userId) => reviewsApi.forUser(userId, scope)),
    };
  };
}
