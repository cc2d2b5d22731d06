import { createSubgraphServer, type SubgraphRuntime, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import { reviewsContext } from './context.js';
import { resolvers } from './resolvers.js';
import type { ReviewsApi } from './reviewsApi.js';

export interface ReviewsDeps extends SubgraphRuntime {
  reviewsApi: ReviewsApi;
}

/** The reviews subgraph: reviews and who wrote them, from the reviews REST service. */
export function createReviewsServer(deps: ReviewsDeps): SubgraphServer {
  return createSubgraphServer({
    name: 'reviews',
    typeDefs: readSubgraphSchema('reviews'),
    resolvers,
    createContext: reviewsContext(deps.reviewsApi),
    ...deps,
  });
}
