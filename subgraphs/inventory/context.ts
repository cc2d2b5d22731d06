import type DataLoader from 'dataloader';
import { createBatchLoader } from '../kit/loaders/createBatchLoader.js';
import type { RequestScope } from '../kit/requestScope.js';
import { stockBatchLimit, type StockApi, type StockRecord } from './stockApi.js';

export interface InventoryContext extends RequestScope {
  /** The inventory service itself, for what is not a batched read: setting stock, watching it. */
  stockApi: StockApi;
  /** Stock by UPC, batched into `GetStock`; null for a UPC the inventory does not track. */
  stock: DataLoader<string, StockRecord | null>;
}

/** Builds each request's context: its own loaders, so no cache is shared between callers. */
export function inventoryContext(stockApi: StockApi) {
  return (scope: RequestScope): InventoryContext => ({
    ...scope,
    stockApi,
    stock: createBatchLoader({
      maxBatchSize: stockBatchLimit,
      fetch: (upcs) => stockApi.byUpcs(upcs, scope),
      keyOf: (level) => level.upc,
    }),
  });
}
