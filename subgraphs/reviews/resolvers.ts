import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errorCodes.js';
import { requireIntInRange } from '../kit/requireIntInRange.js';
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
          productUpc: input.productUpc,
          body: input.body,
          rating: requireIntInRange('input.rating', input.rating, 1, 5),
        },
        context,
      );
      context.review.prime(created.id, created);
      return created;
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
