import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CatalogClient as _portico_catalog_v1_CatalogClient, CatalogDefinition as _portico_catalog_v1_CatalogDefinition } from './portico/catalog/v1/Catalog.js';
import type { GetProductsRequest as _portico_catalog_v1_GetProductsRequest, GetProductsRequest__Output as _portico_catalog_v1_GetProductsRequest__Output } from './portico/catalog/v1/GetProductsRequest.js';
import type { GetProductsResponse as _portico_catalog_v1_GetProductsResponse, GetProductsResponse__Output as _portico_catalog_v1_GetProductsResponse__Output } from './portico/catalog/v1/GetProductsResponse.js';
import type { ListTopProductsRequest as _portico_catalog_v1_ListTopProductsRequest, ListTopProductsRequest__Output as _portico_catalog_v1_ListTopProductsRequest__Output } from './portico/catalog/v1/ListTopProductsRequest.js';
import type { ListTopProductsResponse as _portico_catalog_v1_ListTopProductsResponse, ListTopProductsResponse__Output as _portico_catalog_v1_ListTopProductsResponse__Output } from './portico/catalog/v1/ListTopProductsResponse.js';
import type { Product as _portico_catalog_v1_Product, Product__Output as _portico_catalog_v1_Product__Output } from './portico/catalog/v1/Product.js';
import type { UpdatePriceRequest as _portico_catalog_v1_UpdatePriceRequest, UpdatePriceRequest__Output as _portico_catalog_v1_UpdatePriceRequest__Output } from './portico/catalog/v1/UpdatePriceRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  portico: {
    catalog: {
      v1: {
        /**
         * The product catalog: names, prices and weights. Stands in for another team's service.
         */
        Catalog: SubtypeConstructor<typeof grpc.Client, _portico_catalog_v1_CatalogClient> & { service: _portico_catalog_v1_CatalogDefinition }
        GetProductsRequest: MessageTypeDefinition<_portico_catalog_v1_GetProductsRequest, _portico_catalog_v1_GetProductsRequest__Output>
        GetProductsResponse: MessageTypeDefinition<_portico_catalog_v1_GetProductsResponse, _portico_catalog_v1_GetProductsResponse__Output>
        ListTopProductsRequest: MessageTypeDefinition<_portico_catalog_v1_ListTopProductsRequest, _portico_catalog_v1_ListTopProductsRequest__Output>
        ListTopProductsResponse: MessageTypeDefinition<_portico_catalog_v1_ListTopProductsResponse, _portico_catalog_v1_ListTopProductsResponse__Output>
        Product: MessageTypeDefinition<_portico_catalog_v1_Product, _portico_catalog_v1_Product__Output>
        UpdatePriceRequest: MessageTypeDefinition<_portico_catalog_v1_UpdatePriceRequest, _portico_catalog_v1_UpdatePriceRequest__Output>
      }
    }
  }
}

