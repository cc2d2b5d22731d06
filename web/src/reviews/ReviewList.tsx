import { graphql } from '../generated';
import type { ProductReviewsFragment } from '../generated/graphql';

/**
 * The reviews part of a product. A fragment of its own so that the product page can `@defer`
 * it (the page paints before the reviews service has answered) and the live update can ask
 * for exactly the same fields.
 */
export const ProductReviewsFragmentDoc = graphql(`
  fragment ProductReviews on Product {
    reviews {
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

/**
 * A product's reviews, newest first (the reviews service lists them oldest first). `reviews` is
 * absent until the product page's deferred part has arrived.
 */
export function ReviewList({ product }: { product: { reviews?: ProductReviewsFragment['reviews'] } }) {
  // Not there yet: a deferred part still on its way. Null: the reviews service did not answer.
  if (product.reviews === undefined) return <p aria-busy="true">Loading reviews…</p>;
  if (product.reviews === null) return <p className="muted">Reviews are unavailable right now.</p>;
  if (product.reviews.length === 0) return <p className="muted">No reviews yet. Be the first.</p>;
  return (
    <ol className="reviews" aria-label="Reviews">
      {[...product.reviews].reverse().map((review) => (
        <li key={review.id} className="review">
          <p className="review-rating" role="img" aria-label={`${review.rating} out of 5 stars`}>
            {'★'.repeat(review.rating)}
            {'☆'.repeat(Math.max(0, 5 - review.rating))}
          </p>
          <p className="review-body">{review.body}</p>
          <p className="review-author muted">— {review.author?.name ?? 'someone'}</p>
        </li>
      ))}
    </ol>
  );
}
