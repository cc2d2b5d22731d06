import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetStockRequest as _portico_inventory_v1_GetStockRequest, GetStockRequest__Output as _portico_inventory_v1_GetStockRequest__Output } from './portico/inventory/v1/GetStockRequest.js';
import type { GetStockResponse as _portico_inventory_v1_GetStockResponse, GetStockResponse__Output as _portico_inventory_v1_GetStockResponse__Output } from './portico/inventory/v1/GetStockResponse.js';
import type { InventoryClient as _portico_inventory_v1_InventoryClient, InventoryDefinition as _portico_inventory_v1_InventoryDefinition } from './portico/inventory/v1/Inventory.js';
import type { StockLevel as _portico_inventory_v1_StockLevel, StockLevel__Output as _portico_inventory_v1_StockLevel__Output } from './portico/inventory/v1/StockLevel.js';

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
        StockLevel: MessageTypeDefinition<_portico_inventory_v1_StockLevel, _portico_inventory_v1_StockLevel__Output>
      }
    }
  }
}

