// Original file: schema/protos/inventory.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetStockRequest as _portico_inventory_v1_GetStockRequest, GetStockRequest__Output as _portico_inventory_v1_GetStockRequest__Output } from '../../../portico/inventory/v1/GetStockRequest.js';
import type { GetStockResponse as _portico_inventory_v1_GetStockResponse, GetStockResponse__Output as _portico_inventory_v1_GetStockResponse__Output } from '../../../portico/inventory/v1/GetStockResponse.js';
import type { SetStockRequest as _portico_inventory_v1_SetStockRequest, SetStockRequest__Output as _portico_inventory_v1_SetStockRequest__Output } from '../../../portico/inventory/v1/SetStockRequest.js';
import type { StockLevel as _portico_inventory_v1_StockLevel, StockLevel__Output as _portico_inventory_v1_StockLevel__Output } from '../../../portico/inventory/v1/StockLevel.js';
import type { WatchStockRequest as _portico_inventory_v1_WatchStockRequest, WatchStockRequest__Output as _portico_inventory_v1_WatchStockRequest__Output } from '../../../portico/inventory/v1/WatchStockRequest.js';

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
  
  /**
   * Sets a product's units on hand (0 to 1,000,000; INVALID_ARGUMENT outside, NOT_FOUND for an
   * unknown UPC) and sends the new level to every WatchStock stream that watches it.
   */
  SetStock(argument: _portico_inventory_v1_SetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  SetStock(argument: _portico_inventory_v1_SetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  SetStock(argument: _portico_inventory_v1_SetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  SetStock(argument: _portico_inventory_v1_SetStockRequest, callback: grpc.requestCallback<_portico_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  /**
   * Sets a product's units on hand (0 to 1,000,000; INVALID_ARGUMENT outside, NOT_FOUND for an
   * unknown UPC) and sends the new level to every WatchStock stream that watches it.
   */
  setStock(argument: _portico_inventory_v1_SetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  setStock(argument: _portico_inventory_v1_SetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  setStock(argument: _portico_inventory_v1_SetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  setStock(argument: _portico_inventory_v1_SetStockRequest, callback: grpc.requestCallback<_portico_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  
  /**
   * The stock level of the given UPCs (1 to 1000) each time it changes, until the caller cancels.
   * A caller that stops reading is ended with RESOURCE_EXHAUSTED rather than buffered forever.
   */
  WatchStock(argument: _portico_inventory_v1_WatchStockRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_inventory_v1_StockLevel__Output>;
  WatchStock(argument: _portico_inventory_v1_WatchStockRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_inventory_v1_StockLevel__Output>;
  /**
   * The stock level of the given UPCs (1 to 1000) each time it changes, until the caller cancels.
   * A caller that stops reading is ended with RESOURCE_EXHAUSTED rather than buffered forever.
   */
  watchStock(argument: _portico_inventory_v1_WatchStockRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_inventory_v1_StockLevel__Output>;
  watchStock(argument: _portico_inventory_v1_WatchStockRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_portico_inventory_v1_StockLevel__Output>;
  
}

/**
 * Stock levels per warehouse. Stands in for another team's service.
 */
export interface InventoryHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stock for each UPC, at most 1000 per call (INVALID_ARGUMENT beyond). Unknown UPCs are left out.
   */
  GetStock: grpc.handleUnaryCall<_portico_inventory_v1_GetStockRequest__Output, _portico_inventory_v1_GetStockResponse>;
  
  /**
   * Sets a product's units on hand (0 to 1,000,000; INVALID_ARGUMENT outside, NOT_FOUND for an
   * unknown UPC) and sends the new level to every WatchStock stream that watches it.
   */
  SetStock: grpc.handleUnaryCall<_portico_inventory_v1_SetStockRequest__Output, _portico_inventory_v1_StockLevel>;
  
  /**
   * The stock level of the given UPCs (1 to 1000) each time it changes, until the caller cancels.
   * A caller that stops reading is ended with RESOURCE_EXHAUSTED rather than buffered forever.
   */
  WatchStock: grpc.handleServerStreamingCall<_portico_inventory_v1_WatchStockRequest__Output, _portico_inventory_v1_StockLevel>;
  
}

export interface InventoryDefinition extends grpc.ServiceDefinition {
  GetStock: MethodDefinition<_portico_inventory_v1_GetStockRequest, _portico_inventory_v1_GetStockResponse, _portico_inventory_v1_GetStockRequest__Output, _portico_inventory_v1_GetStockResponse__Output>
  SetStock: MethodDefinition<_portico_inventory_v1_SetStockRequest, _portico_inventory_v1_StockLevel, _portico_inventory_v1_SetStockRequest__Output, _portico_inventory_v1_StockLevel__Output>
  WatchStock: MethodDefinition<_portico_inventory_v1_WatchStockRequest, _portico_inventory_v1_StockLevel, _portico_inventory_v1_WatchStockRequest__Output, _portico_inventory_v1_StockLevel__Output>
}
