import { useQuery } from '@apollo/client/react';
import type { GraphQLFormattedError } from 'graphql';
import { gatewayErrorsOf } from '../errors/describeError';
import { ErrorNotice } from '../errors/ErrorNotice';
import { formatPrice } from '../format';
import { graphql } from '../generated';
import { ReviewForm } from '../reviews/ReviewForm';
import { ReviewList } from '../reviews/ReviewList';
import { useLiveReviews } from '../reviews/useLiveReviews';
import { StockLabel } from './StockLabel';

// The reviews are deferred: the page paints with the product as soon as the products and
// inventory subgraphs have answered, and the reviews follow in the same response.
const ProductQuery = graphql(`
  query Product($upc: String!) {
    product(upc: $upc) {
      upc
      name
      price
      weight
      inStock
      warehouse
      shippingEstimate
      quantity
      ...ProductReviews @defer
    }
  }
`);

/** One product: its details, stock (units on hand for staff only), reviews, and the form to add one. */
export function ProductPage({ upc }: { upc: string }) {
  const { data, error, loading } = useQuery(ProductQuery, { variables: { upc }, errorPolicy: 'all' });
  useLiveReviews(upc);
  const product = data?.product;
  const errors = gatewayErrorsOf(error);
  const quantityError = errors.find((item) => pathEndsWith(item, 'quantity'));
  // Field errors the page shows where the field would be; anything else, above the page.
  const otherErrors = error && errors.every((item) => item === quantityError || pathEndsWith(item, 'reviews')) ? null : error;

  if (loading && !data) return <p aria-busy="true">Loading product…</p>;
  if (!product) {
    return (
      <section>
        <p>
          <a href="#/products">← All products</a>
        </p>
        {otherErrors ? <ErrorNotice error={otherErrors} /> : <p role="alert">There is no product {upc}.</p>}
      </section>
    );
  }
  return (
    <article aria-labelledby="product-heading">
      <p>
        <a href="#/products">← All products</a>
      </p>
      <h1 id="product-heading">{product.name}</h1>
      {otherErrors && <ErrorNotice error={otherErrors} />}
      <dl className="facts">
        <dt>Price</dt>
        <dd>{formatPrice(product.price)}</dd>
        <dt>Stock</dt>
        <dd>
          <StockLabel inStock={product.inStock ?? null} />
        </dd>
        <dt>Units on hand</dt>
        <dd>
          {product.quantity ?? (
            <span className="muted" data-code={quantityError ? String(quantityError.extensions?.code) : undefined}>
              {quantityError?.extensions?.code === 'FORBIDDEN' || quantityError?.extensions?.code === 'UNAUTHENTICATED' ? 'Visible to staff only' : 'Unknown'}
            </span>
          )}
        </dd>
        <dt>Ships from</dt>
        <dd>{product.warehouse ?? <span className="muted">Unknown</span>}</dd>
        <dt>Shipping</dt>
        <dd>
          {product.shippingEstimate === null || product.shippingEstimate === undefined ? (
            <span className="muted">Unknown</span>
          ) : product.shippingEstimate === 0 ? (
            'Free'
          ) : (
            formatPrice(product.shippingEstimate)
          )}
        </dd>
        <dt>Weight</dt>
        <dd>{product.weight} g</dd>
      </dl>
      <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">Reviews</h2>
        <ReviewList product={product} />
      </section>
      <ReviewForm upc={product.upc} />
    </article>
  );
}

function pathEndsWith(error: GraphQLFormattedError, field: string): boolean {
  return error.path?.[error.path.length - 1] === field || error.path?.includes(field) === true;
}
