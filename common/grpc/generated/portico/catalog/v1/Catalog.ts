// Original file: schema/protos/catalog.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetProductsRequest as _portico_catalog_v1_GetProductsRequest, GetProductsRequest__Output as _portico_catalog_v1_GetProductsRequest__Output } from '../../../portico/catalog/v1/GetProductsRequest.js';
import type { GetProductsResponse as _portico_catalog_v1_GetProductsResponse, GetProductsResponse__Output as _portico_catalog_v1_GetProductsResponse__Output } from '../../../portico/catalog/v1/GetProductsResponse.js';
import type { ListTopProductsRequest as _portico_catalog_v1_ListTopProductsRequest, ListTopProductsRequest__Output as _portico_catalog_v1_ListTopProductsRequest__Output } from '../../../portico/catalog/v1/ListTopProductsRequest.js';
import type { ListTopProductsResponse as _portico_catalog_v1_ListTopProductsResponse, ListTopProductsResponse__Output as _portico_catalog_v1_ListTopProductsResponse__Output } from '../../../portico/catalog/v1/ListTopProductsResponse.js';
import type { Product as _portico_catalog_v1_Product, Product__Output as _portico_catalog_v1_Product__Output } from '../../../portico/catalog/v1/Product.js';
import type { UpdatePriceRequest as _portico_catalog_v1_UpdatePriceRequest, UpdatePriceRequest__Output as _portico_catalog_v1_UpdatePriceRequest__Output } from '../../../portico/catalog/v1/UpdatePriceRequest.js';

/**
 * The product catalog: names, prices and weights. Stands in for another team's service.
 */
export interface CatalogClient extends grpc.Client {
  /**
   * Products by UPC, at most 1000 per call (INVALID_ARGUMENT beyond). Unknown UPCs are left out.
   */
  GetProducts(argument: _portico_catalog_v1_GetProductsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_GetProductsResponse__Output>): grpc.ClientUnaryCall;
  GetProducts(argument: _portico_catalog_v1_GetProductsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_catalog_v1_GetProductsResponse__Output>): grpc.ClientUnaryCall;
  GetProducts(argument: _portico_catalog_v1_GetProductsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_GetProductsResponse__Output>): grpc.ClientUnaryCall;
  GetProducts(argument: _portico_catalog_v1_GetProductsRequest, callback: grpc.requestCallback<_portico_catalog_v1_GetProductsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Products by UPC, at most 1000 per call (INVALID_ARGUMENT beyond). Unknown UPCs are left out.
   */
  getProducts(argument: _portico_catalog_v1_GetProductsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_GetProductsResponse__Output>): grpc.ClientUnaryCall;
  getProducts(argument: _portico_catalog_v1_GetProductsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_catalog_v1_GetProductsResponse__Output>): grpc.ClientUnaryCall;
  getProducts(argument: _portico_catalog_v1_GetProductsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_GetProductsResponse__Output>): grpc.ClientUnaryCall;
  getProducts(argument: _portico_catalog_v1_GetProductsRequest, callback: grpc.requestCallback<_portico_catalog_v1_GetProductsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The first `first` products by rank, 1 to 100 (INVALID_ARGUMENT otherwise).
   */
  ListTopProducts(argument: _portico_catalog_v1_ListTopProductsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_ListTopProductsResponse__Output>): grpc.ClientUnaryCall;
  ListTopProducts(argument: _portico_catalog_v1_ListTopProductsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_catalog_v1_ListTopProductsResponse__Output>): grpc.ClientUnaryCall;
  ListTopProducts(argument: _portico_catalog_v1_ListTopProductsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_ListTopProductsResponse__Output>): grpc.ClientUnaryCall;
  ListTopProducts(argument: _portico_catalog_v1_ListTopProductsRequest, callback: grpc.requestCallback<_portico_catalog_v1_ListTopProductsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The first `first` products by rank, 1 to 100 (INVALID_ARGUMENT otherwise).
   */
  listTopProducts(argument: _portico_catalog_v1_ListTopProductsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_ListTopProductsResponse__Output>): grpc.ClientUnaryCall;
  listTopProducts(argument: _portico_catalog_v1_ListTopProductsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_catalog_v1_ListTopProductsResponse__Output>): grpc.ClientUnaryCall;
  listTopProducts(argument: _portico_catalog_v1_ListTopProductsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_ListTopProductsResponse__Output>): grpc.ClientUnaryCall;
  listTopProducts(argument: _portico_catalog_v1_ListTopProductsRequest, callback: grpc.requestCallback<_portico_catalog_v1_ListTopProductsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sets a price in cents. NOT_FOUND for an unknown UPC, INVALID_ARGUMENT for a negative price.
   */
  UpdatePrice(argument: _portico_catalog_v1_UpdatePriceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  UpdatePrice(argument: _portico_catalog_v1_UpdatePriceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  UpdatePrice(argument: _portico_catalog_v1_UpdatePriceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  UpdatePrice(argument: _portico_catalog_v1_UpdatePriceRequest, callback: grpc.requestCallback<_portico_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  /**
   * Sets a price in cents. NOT_FOUND for an unknown UPC, INVALID_ARGUMENT for a negative price.
   */
  updatePrice(argument: _portico_catalog_v1_UpdatePriceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  updatePrice(argument: _portico_catalog_v1_UpdatePriceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_portico_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  updatePrice(argument: _portico_catalog_v1_UpdatePriceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_portico_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  updatePrice(argument: _portico_catalog_v1_UpdatePriceRequest, callback: grpc.requestCallback<_portico_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  
}

/**
 * The product catalog: names, prices and weights. Stands in for another team's service.
 */
export interface CatalogHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Products by UPC, at most 1000 per call (INVALID_ARGUMENT beyond). Unknown UPCs are left out.
   */
  GetProducts: grpc.handleUnaryCall<_portico_catalog_v1_GetProductsRequest__Output, _portico_catalog_v1_GetProductsResponse>;
  
  /**
   * The first `first` products by rank, 1 to 100 (INVALID_ARGUMENT otherwise).
   */
  ListTopProducts: grpc.handleUnaryCall<_portico_catalog_v1_ListTopProductsRequest__Output, _portico_catalog_v1_ListTopProductsResponse>;
  
  /**
   * Sets a price in cents. NOT_FOUND for an unknown UPC, INVALID_ARGUMENT for a negative price.
   */
  UpdatePrice: grpc.handleUnaryCall<_portico_catalog_v1_UpdatePriceRequest__Output, _portico_catalog_v1_Product>;
  
}

export interface CatalogDefinition extends grpc.ServiceDefinition {
  GetProducts: MethodDefinition<_portico_catalog_v1_GetProductsRequest, _portico_catalog_v1_GetProductsResponse, _portico_catalog_v1_GetProductsRequest__Output, _portico_catalog_v1_GetProductsResponse__Output>
  ListTopProducts: MethodDefinition<_portico_catalog_v1_ListTopProductsRequest, _portico_catalog_v1_ListTopProductsResponse, _portico_catalog_v1_ListTopProductsRequest__Output, _portico_catalog_v1_ListTopProductsResponse__Output>
  UpdatePrice: MethodDefinition<_portico_catalog_v1_UpdatePriceRequest, _portico_catalog_v1_Product, _portico_catalog_v1_UpdatePriceRequest__Output, _portico_catalog_v1_Product__Output>
}
