import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createLogger, type Logger } from '../../common/createLogger.js';
import type { ProtoGrpcType } from '../../common/grpc/generated/inventory.js';
import type { InventoryHandlers } from '../../common/grpc/generated/portico/inventory/v1/Inventory.js';
import { loadProto, protosDir } from '../../common/grpc/loadProto.js';
import type { StockLevel } from '../data/types.js';
import { addCallCountersService } from '../grpc/addCallCountersService.js';
import { countedUnary, type UnaryContext } from '../grpc/countedUnary.js';
import { GrpcError } from '../grpc/GrpcError.js';
import { uniqueKeys } from '../grpc/uniqueKeys.js';
import { createCallCounter } from '../shared/createCallCounter.js';
import { createStockWatchers } from './createStockWatchers.js';

/** Largest quantity SetStock accepts. */
export const maxQuantity = 1_000_000;

export interface InventoryServerDeps {
  stock: readonly StockLevel[];
  /** @default a logger named 'inventory' */
  logger?: Logger;
}

/**
 * The inventory gRPC service (`portico.inventory.v1.Inventory`) plus `CallCounters`. Built,
 * not bound; `index.ts` decides the address.
 */
export function createInventoryServer(deps: InventoryServerDeps): grpc.Server {
  const context: UnaryContext = {
    counter: createCallCounter(),
    logger: deps.logger ?? createLogger({ name: 'inventory' }),
  };
  const byUpc = new Map(deps.stock.map((level) => [level.upc, { ...level }]));

  const watchers = createStockWatchers((upc) => byUpc.has(upc));

  const handlers: InventoryHandlers = {
    GetStock: countedUnary('GetStock', ({ upcs }) => ({ items: uniqueKeys(upcs, 'upcs').flatMap((upc) => byUpc.get(upc) ?? []) }), context),
    SetStock: countedUnary(
      'SetStock',
      ({ upc, quantity }) => {
        const level = byUpc.get(upc);
        if (!level) throw new GrpcError(grpc.status.NOT_FOUND, `no product ${upc.slice(0, 64)}`);
        if (!Number.isInteger(quantity) || quantity < 0 || quantity > maxQuantity) {
          throw new GrpcError(grpc.status.INVALID_ARGUMENT, `quantity must be from 0 to ${maxQuantity}, got ${quantity}`);
        }
        level.quantity = quantity;
        level.inStock = quantity > 0;
        watchers.changed(level);
        return { ...level };
      },
      context,
    ),
    WatchStock: (call) => {
      context.counter.record('WatchStock');
      watchers.watch(call);
    },
  };

  const proto = loadProto<ProtoGrpcType>(join(protosDir, 'inventory.proto'));
  const server = new grpc.Server();
  server.addService(proto.portico.inventory.v1.Inventory.service, handlers);
  addCallCountersService(server, context.counter);
  return server;
}
