import { useQuery } from '@apollo/client/react';
import { ErrorNotice } from '../errors/ErrorNotice';
import { averageRating, formatPrice } from '../format';
import { graphql } from '../generated';
import { productHref } from '../routing/useRoute';
import { StockLabel } from './StockLabel';

const TopProductsQuery = graphql(`
  query TopProducts($first: Int!) {
    topProducts(first: $first) {
      upc
      name
      price
      inStock
      reviews {
        id
        rating
      }
    }
  }
`);

/** The shop's front page: the top products with their price, stock and average rating. */
export function ProductListPage() {
  const { data, error, loading } = useQuery(TopProductsQuery, { variables: { first: 20 }, errorPolicy: 'all' });
  const products = data?.topProducts ?? [];
  return (
    <section aria-labelledby="products-heading">
      <h1 id="products-heading">Products</h1>
      {error && <ErrorNotice error={error} />}
      {loading && !data && <p aria-busy="true">Loading products…</p>}
      {products.length > 0 && (
        <table className="products">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Price</th>
              <th scope="col">Stock</th>
              <th scope="col">Rating</th>
            </tr>
          </thead>
          <tbody>
            {products.map((product) => {
              const rating = product.reviews ? averageRating(product.reviews.map((review) => review.rating)) : null;
              return (
                <tr key={product.upc}>
                  <th scope="row">
                    <a href={productHref(product.upc)}>{product.name}</a>
                  </th>
                  <td>{formatPrice(product.price)}</td>
                  <td>
                    <StockLabel inStock={product.inStock ?? null} />
                  </td>
                  <td>
                    {rating === null ? (
                      <span className="muted">No reviews</span>
                    ) : (
                      <span>
                        <span aria-hidden="true">★ </span>
                        {rating}
                        <span className="visually-hidden"> out of 5 stars</span>
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
