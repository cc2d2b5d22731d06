import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetStockRequest as _portico_inventory_v1_GetStockRequest, GetStockRequest__Output as _portico_inventory_v1_GetStockRequest__Output } from './portico/inventory/v1/GetStockRequest.js';
import type { GetStockResponse as _portico_inventory_v1_GetStockResponse, GetStockResponse__Output as _portico_inventory_v1_GetStockResponse__Output } from './portico/inventory/v1/GetStockResponse.js';
import type { InventoryClient as _portico_inventory_v1_InventoryClient, InventoryDefinition as _portico_inventory_v1_InventoryDefinition } from './portico/inventory/v1/Inventory.js';
import type { SetStockRequest as _portico_inventory_v1_SetStockRequest, SetStockRequest__Output as _portico_inventory_v1_SetStockRequest__Output } from './portico/inventory/v1/SetStockRequest.js';
import type { StockLevel as _portico_inventory_v1_StockLevel, StockLevel__Output as _portico_inventory_v1_StockLevel__Output } from './portico/inventory/v1/StockLevel.js';
import type { WatchStockRequest as _portico_inventory_v1_WatchStockRequest, WatchStockRequest__Output as _portico_inventory_v1_WatchStockRequest__Output } from './portico/inventory/v1/WatchStockRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  portico: {
    inventory: {
      v1: {
        GetStockRequest: MessageTypeDefinition<_portico_inventory_v1_GetStockRequest, _portico_inventory_v1_GetStockRequest__Output>
        GetStockResponse: MessageTypeDefinition<_portico_inventory_v1_GetStockResponse, _portico_inventory_v1_GetStockResponse__Output>
        /**
         * Stock levels per warehouse. Stands in for another team's service.
         */
        Inventory: SubtypeConstructor<typeof grpc.Client, _portico_inventory_v1_InventoryClient> & { service: _portico_inventory_v1_InventoryDefinition }
        SetStockRequest: MessageTypeDefinition<_portico_inventory_v1_SetStockRequest, _portico_inventory_v1_SetStockRequest__Output>
        StockLevel: MessageTypeDefinition<_portico_inventory_v1_StockLevel, _portico_inventory_v1_StockLevel__Output>
        WatchStockRequest: MessageTypeDefinition<_portico_inventory_v1_WatchStockRequest, _portico_inventory_v1_WatchStockRequest__Output>
      }
    }
  }
}

