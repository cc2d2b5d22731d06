import { createSubgraphServer, type SubgraphRuntime, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import { reviewsContext } from './context.js';
import { createReviewEvents, type ReviewEvents } from './reviewEvents.js';
import { resolvers } from './resolvers.js';
import type { ReviewsApi } from './reviewsApi.js';

export interface ReviewsDeps extends SubgraphRuntime {
  reviewsApi: ReviewsApi;
  /**
   * Where accepted reviews are announced to `reviewAdded` subscribers.
   * @default in this process's memory (the entry uses Redis when REDIS_URL is set)
   */
  reviewEvents?: ReviewEvents;
}

/** The reviews subgraph: reviews and who wrote them, from the reviews REST service. */
export function createReviewsServer(deps: ReviewsDeps): SubgraphServer {
  const reviewEvents = deps.reviewEvents ?? createReviewEvents({ logger: deps.logger });
  return createSubgraphServer({
    name: 'reviews',
    typeDefs: readSubgraphSchema('reviews'),
    resolvers,
    createContext: reviewsContext(deps.reviewsApi, reviewEvents),
    ...deps,
    // A bus made here is closed here; one given by the caller is the caller's to close.
    ...(deps.reviewEvents ? {} : { onStop: () => reviewEvents.close() }),
  });
}
