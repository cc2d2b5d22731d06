// Original file: schema/protos/catalog.proto

import type { Product as _portico_catalog_v1_Product, Product__Output as _portico_catalog_v1_Product__Output } from '../../../portico/catalog/v1/Product.js';

export interface ListTopProductsResponse {
  'products'?: (_portico_catalog_v1_Product)[];
}

export interface ListTopProductsResponse__Output {
  'products': (_portico_catalog_v1_Product__Output)[];
}
