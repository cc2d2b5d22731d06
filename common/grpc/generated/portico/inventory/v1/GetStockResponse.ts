// Original file: schema/protos/inventory.proto

import type { StockLevel as _portico_inventory_v1_StockLevel, StockLevel__Output as _portico_inventory_v1_StockLevel__Output } from '../../../portico/inventory/v1/StockLevel.js';

export interface GetStockResponse {
  'items'?: (_portico_inventory_v1_StockLevel)[];
}

export interface GetStockResponse__Output {
  'items': (_portico_inventory_v1_StockLevel__Output)[];
}
