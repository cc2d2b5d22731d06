import type { Logger } from '../../common/createLogger.js';
import { createSubgraphServer, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import { reviewsContext } from './context.js';
import { resolvers } from './resolvers.js';
import type { ReviewsApi } from './reviewsApi.js';

export interface ReviewsDeps {
  reviewsApi: ReviewsApi;
  logger: Logger;
  development?: boolean;
  /** How long a stopping subgraph lets requests in flight run. @default 10000 */
  shutdownGracePeriodMs?: number;
}

/** The reviews subgraph: reviews and who wrote them, from the reviews REST service. */
export function createReviewsServer(deps: ReviewsDeps): SubgraphServer {
  return createSubgraphServer({
    name: 'reviews',
    typeDefs: readSubgraphSchema('reviews'),
    resolvers,
    createContext: reviewsContext(deps.reviewsApi),
    logger: deps.logger,
    development: deps.development,
    shutdownGracePeriodMs: deps.shutdownGracePeriodMs,
  });
}
