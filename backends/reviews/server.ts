import type { Server } from 'node:http';
import { createLogger, type Logger } from '../../common/createLogger.js';
import type { Review } from '../data/types.js';
import { createRestServer } from '../rest/createRestServer.js';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { createReviewStore } from './createReviewStore.js';
import { parseNewReview } from './parseNewReview.js';

export interface ReviewsServerDeps {
  reviews: readonly Review[];
  /** @default a logger named 'reviews' */
  logger?: Logger;
}

/**
 * The reviews REST service. It deliberately has per-item endpoints only (no batch), like many
 * real services: callers must de-duplicate and cap concurrency themselves.
 */
export function createReviewsServer(deps: ReviewsServerDeps): Server {
  const store = createReviewStore(deps.reviews);
  return createRestServer({
    logger: deps.logger ?? createLogger({ name: 'reviews' }),
    routes: [
      {
        method: 'GET',
        pattern: '/reviews/:id',
        handler: ({ params }) => {
          const review = store.byId(params.id!);
          if (!review) throw new HttpError(ErrorCode.NOT_FOUND, `no review with id '${params.id}'`);
          return { status: 200, body: review };
        },
      },
      {
        method: 'POST',
        pattern: '/reviews',
        handler: async ({ readJson }) => {
          const review = store.add(parseNewReview(await readJson()));
          return { status: 201, body: review, headers: { location: `/reviews/${review.id}` } };
        },
      },
      {
        method: 'GET',
        pattern: '/products/:upc/reviews',
        handler: ({ params }) => ({ status: 200, body: store.byProduct(params.upc!) }),
      },
      {
        method: 'GET',
        pattern: '/users/:id/reviews',
        handler: ({ params }) => ({ status: 200, body: store.byAuthor(params.id!) }),
      },
    ],
  });
}
