// Original file: schema/protos/inventory.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetStockRequest as _portico_inventory_v1_GetStockRequest, GetStockRequest__Output as _portico_inventory_v1_GetStockRequest__Output } from '../../../portico/inventory/v1/GetStockRequest.js';
import type { GetStockResponse as _portico_inventory_v1_GetStockResponse, GetStockResponse__Output as _portico_inventory_v1_GetStockResponse__Output } from '../../../portico/inventory/v1/GetStockResponse.js';

/**
 * Stock levels per warehouse. Stands in for another team's service.
 */
export interface InventoryClient extends grpc.Client {
  /**
   * Stock for each UPC, at most 1000 per call (INVALID_ARGUMENT beyond). Unknown UPCs are left out.
   */
  GetStock(argument: _portico_inventory_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _portico_inventory_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _portico_inventory_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _portico_inventory_v1_GetStockRequest, callback: grpc.requestCallback<_portico_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stock for each UPC, at most 1000 per call (INVALID_ARGUMENT beyond). Unknown UPCs are left out.
   */
  getStock(argument: _portico_inventory_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _portico_inventory_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _portico_inventory_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _portico_inventory_v1_GetStockRequest, callback: grpc.requestCallback<_portico_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Stock levels per warehouse. Stands in for another team's service.
 */
export interface InventoryHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stock for each UPC, at most 1000 per call (INVALID_ARGUMENT beyond). Unknown UPCs are left out.
   */
  GetStock: grpc.handleUnaryCall<_portico_inventory_v1_GetStockRequest__Output, _portico_inventory_v1_GetStockResponse>;
  
}

export interface InventoryDefinition extends grpc.ServiceDefinition {
  GetStock: MethodDefinition<_portico_inventory_v1_GetStockRequest, _portico_inventory_v1_GetStockResponse, _portico_inventory_v1_GetStockRequest__Output, _portico_inventory_v1_GetStockResponse__Output>
}
