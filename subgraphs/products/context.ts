import type DataLoader from 'dataloader';
import { createBatchLoader } from '../kit/loaders/createBatchLoader.js';
import type { RequestScope } from '../kit/requestScope.js';
import { catalogBatchLimit, type CatalogApi, type ProductRecord } from './catalogApi.js';

export interface ProductsContext extends RequestScope {
  catalog: CatalogApi;
  /** Products by UPC, batched into `GetProducts`; null for an unknown UPC. */
  products: DataLoader<string, ProductRecord | null>;
}

/** Builds each request's context: its own loaders, so no cache is shared between callers. */
export function productsContext(catalog: CatalogApi) {
  return (scope: RequestScope): ProductsContext => ({
    ...scope,
    catalog,
    products: createBatchLoader({
      maxBatchSize: catalogBatchLimit,
      fetch: (upcs) => catalog.byUpcs(upcs, scope),
      keyOf: (product) => product.upc,
    }),
  });
}
