import { loadProto } from '../../common/grpc/loadProto.js';
import type { ProtoGrpcType } from '../../common/grpc/generated/catalog.js';
import type { CatalogClient } from '../../common/grpc/generated/portico/catalog/v1/Catalog.js';
import type { GetProductsResponse__Output } from '../../common/grpc/generated/portico/catalog/v1/GetProductsResponse.js';
import type { ListTopProductsResponse__Output } from '../../common/grpc/generated/portico/catalog/v1/ListTopProductsResponse.js';
import type { Product__Output } from '../../common/grpc/generated/portico/catalog/v1/Product.js';
import { callUnary } from '../kit/grpc/callUnary.js';
import { createGrpcClient } from '../kit/grpc/createGrpcClient.js';
import type { CallOptions } from '../kit/rest/createRestClient.js';

/** A product as the catalog service returns it. */
export type ProductRecord = Product__Output;

/** Most UPCs `GetProducts` takes in one call. */
export const catalogBatchLimit = 1000;

/** The catalog gRPC service, as this subgraph uses it. */
export interface CatalogApi {
  /** Products by UPC, at most `catalogBatchLimit`; unknown UPCs are left out. */
  byUpcs(upcs: readonly string[], call: CallOptions): Promise<ProductRecord[]>;
  top(first: number, call: CallOptions): Promise<ProductRecord[]>;
  updatePrice(upc: string, price: number, call: CallOptions): Promise<ProductRecord>;
  close(): void;
}

export function createCatalogApi(address: string, timeoutMs: number): CatalogApi {
  const proto = loadProto<ProtoGrpcType>('catalog.proto');
  const client: CatalogClient = createGrpcClient(proto.portico.catalog.v1.Catalog, address);
  const options = (method: string, call: CallOptions) => ({ backend: 'catalog', method, timeoutMs, ...call });
  return {
    async byUpcs(upcs, call) {
      const response = await callUnary<GetProductsResponse__Output>(
        (metadata, callOptions, done) => client.GetProducts({ upcs: [...upcs] }, metadata, callOptions, done),
        options('GetProducts', call),
      );
      return response.products;
    },
    async top(first, call) {
      const response = await callUnary<ListTopProductsResponse__Output>(
        (metadata, callOptions, done) => client.ListTopProducts({ first }, metadata, callOptions, done),
        options('ListTopProducts', call),
      );
      return response.products;
    },
    updatePrice(upc, price, call) {
      return callUnary<ProductRecord>(
        (metadata, callOptions, done) => client.UpdatePrice({ upc, price }, metadata, callOptions, done),
        options('UpdatePrice', call),
      );
    },
    close: () => client.close(),
  };
}
