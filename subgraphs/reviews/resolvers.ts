import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { eventOrEnd } from '../kit/events/eventOrEnd.js';
import type { EventsEnded } from '../kit/events/EventBus.js';
import { requireKey } from '../kit/loaders/requireKey.js';
import { requireIntInRange } from '../kit/requireIntInRange.js';
import type { ReviewRecord } from './reviewsApi.js';
import type { Resolvers } from './generated/resolvers-types.js';

export const resolvers: Resolvers = {
  Query: {
    review: (_parent, { id }, { review }) => review.load(id),
  },
  Mutation: {
    createReview: async (_parent, { input }, context) => {
      if (!context.viewer) {
        throw new GraphQLError('Sign in to write a review.', { extensions: { code: ErrorCode.UNAUTHENTICATED } });
      }
      const created = await context.reviewsApi.create(
        {
          authorId: context.viewer.subject,
          productUpc: requireKey('input.productUpc', input.productUpc),
          body: input.body,
          rating: requireIntInRange('input.rating', input.rating, 1, 5),
        },
        context,
      );
      context.review.prime(created.id, created);
      // The review is written whatever happens next: a failed announcement is logged, and the
      // mutation still answers with the review (subscribers miss this one event).
      await context.reviewEvents.publish(created).catch((error: unknown) => context.logger.error({ err: error }, 'could not announce a new review'));
      return created;
    },
  },
  Subscription: {
    reviewAdded: {
      subscribe: (_parent, { productUpc }, context) => {
        if (productUpc != null) requireKey('productUpc', productUpc);
        return context.reviewEvents.subscribe({
          signal: context.signal,
          ...(productUpc == null ? {} : { filter: (review) => review.productUpc === productUpc }),
        });
      },
      resolve: (item: ReviewRecord | EventsEnded) => eventOrEnd(item),
    },
  },
  Review: {
    __resolveReference: ({ id }, { review }) => review.load(id),
    author: (review) => ({ id: review.authorId }),
    product: (review) => ({ upc: review.productUpc }),
  },
  User: {
    reviews: ({ id }, _args, { userReviews }) => userReviews.load(id),
  },
  Product: {
    reviews: ({ upc }, _args, { productReviews }) => productReviews.load(upc),
  },
};
