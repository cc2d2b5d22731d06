import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createLogger, type Logger } from '../../common/createLogger.js';
import type { ProtoGrpcType } from '../../common/grpc/generated/catalog.js';
import type { CatalogHandlers } from '../../common/grpc/generated/portico/catalog/v1/Catalog.js';
import { loadProto, protosDir } from '../../common/grpc/loadProto.js';
import type { Product } from '../data/types.js';
import { addCallCountersService } from '../grpc/addCallCountersService.js';
import { countedUnary, type UnaryContext } from '../grpc/countedUnary.js';
import { GrpcError } from '../grpc/GrpcError.js';
import { uniqueKeys } from '../grpc/uniqueKeys.js';
import { createCallCounter } from '../shared/createCallCounter.js';

export interface CatalogServerDeps {
  products: readonly Product[];
  /** @default a logger named 'catalog' */
  logger?: Logger;
}

/** Most products one `ListTopProducts` call returns, as the proto promises. */
export const maxTopProducts = 100;

/**
 * The catalog gRPC service (`portico.catalog.v1.Catalog`) plus `CallCounters`. Built, not
 * bound; `index.ts` decides the address.
 */
export function createCatalogServer(deps: CatalogServerDeps): grpc.Server {
  const context: UnaryContext = {
    counter: createCallCounter(),
    logger: deps.logger ?? createLogger({ name: 'catalog' }),
  };
  // Own copies: UpdatePrice on this server must not change anyone else's products.
  const byUpc = new Map(deps.products.map((product) => [product.upc, { ...product }]));
  // "Rank" is UPC order; numeric UPCs sort as numbers so "10" comes after "9".
  const ranked = [...byUpc.values()].sort((a, b) => compareUpcs(a.upc, b.upc));

  const handlers: CatalogHandlers = {
    GetProducts: countedUnary('GetProducts', ({ upcs }) => ({ products: uniqueKeys(upcs, 'upcs').flatMap((upc) => byUpc.get(upc) ?? []) }), context),
    ListTopProducts: countedUnary(
      'ListTopProducts',
      ({ first }) => {
        if (!Number.isInteger(first) || first < 1 || first > maxTopProducts) {
          throw new GrpcError(grpc.status.INVALID_ARGUMENT, `first must be from 1 to ${maxTopProducts}, got ${first}`);
        }
        return { products: ranked.slice(0, first) };
      },
      context,
    ),
    UpdatePrice: countedUnary(
      'UpdatePrice',
      ({ upc, price }) => {
        if (price < 0) throw new GrpcError(grpc.status.INVALID_ARGUMENT, `price must not be negative, got ${price}`);
        const product = byUpc.get(upc);
        if (!product) throw new GrpcError(grpc.status.NOT_FOUND, `no product with upc '${upc}'`);
        product.price = price;
        return product;
      },
      context,
    ),
  };

  const proto = loadProto<ProtoGrpcType>(join(protosDir, 'catalog.proto'));
  const server = new grpc.Server();
  server.addService(proto.portico.catalog.v1.Catalog.service, handlers);
  addCallCountersService(server, context.counter);
  return server;
}

function compareUpcs(a: string, b: string): number {
  const diff = Number(a) - Number(b);
  return Number.isNaN(diff) || diff === 0 ? a.localeCompare(b) : diff;
}
