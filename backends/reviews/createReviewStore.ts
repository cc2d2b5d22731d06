import type { Review } from '../data/types.js';
import type { NewReview } from './parseNewReview.js';

/** One server's reviews, indexed the ways its endpoints read them. */
export interface ReviewStore {
  byId(id: string): Review | undefined;
  /** In id order; empty when there are none. */
  byProduct(upc: string): Review[];
  /** In id order; empty when there are none. */
  byAuthor(authorId: string): Review[];
  /** Stores a review under the next free id and returns it. */
  add(review: NewReview): Review;
}

/** Copies `reviews`, so that adding to this store can never show in another server's data. */
export function createReviewStore(reviews: readonly Review[]): ReviewStore {
  const byId = new Map<string, Review>();
  const byProduct = new Map<string, Review[]>();
  const byAuthor = new Map<string, Review[]>();
  let lastId = 0;

  const index = (review: Review): void => {
    byId.set(review.id, review);
    pushTo(byProduct, review.productUpc, review);
    pushTo(byAuthor, review.authorId, review);
    const numeric = Number(review.id);
    if (Number.isInteger(numeric) && numeric > lastId) lastId = numeric;
  };
  for (const review of [...reviews].sort((a, b) => Number(a.id) - Number(b.id))) index(structuredClone(review));

  return {
    byId: (id) => byId.get(id),
    byProduct: (upc) => [...(byProduct.get(upc) ?? [])],
    byAuthor: (authorId) => [...(byAuthor.get(authorId) ?? [])],
    add(input) {
      const review: Review = { id: String(lastId + 1), ...input };
      index(review);
      return review;
    },
  };
}

function pushTo(map: Map<string, Review[]>, key: string, review: Review): void {
  const list = map.get(key);
  if (list) list.push(review);
  else map.set(key, [review]);
}
