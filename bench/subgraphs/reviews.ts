import type { BenchSubgraph } from './BenchSubgraph.js';
import { benchReviews, benchUsers, type BenchReview } from './benchData.js';
import { readSdl } from './readSdl.js';

export const reviews: BenchSubgraph = {
  name: 'reviews',
  typeDefs: readSdl('reviews'),
  resolvers: {
    Review: {
      // The username comes along: this subgraph @provides it.
      author: ({ authorId }: BenchReview) => {
        const author = benchUsers.find((user) => user.id === authorId);
        return author ? { id: author.id, username: author.username } : null;
      },
      product: ({ productUpc }: BenchReview) => ({ upc: productUpc }),
    },
    User: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      reviews: ({ id }: { id: string }) => benchReviews.filter((review) => review.authorId === id),
    },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
      reviews: ({ upc }: { upc: string }) => benchReviews.filter((review) => review.productUpc === upc),
    },
  },
};
