import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createLogger, type Logger } from '../../common/createLogger.js';
import type { ProtoGrpcType } from '../../common/grpc/generated/inventory.js';
import type { InventoryHandlers } from '../../common/grpc/generated/portico/inventory/v1/Inventory.js';
import { loadProto, protosDir } from '../../common/grpc/loadProto.js';
import type { StockLevel } from '../data/types.js';
import { addCallCountersService } from '../grpc/addCallCountersService.js';
import { countedUnary, type UnaryContext } from '../grpc/countedUnary.js';
import { uniqueKeys } from '../grpc/uniqueKeys.js';
import { createCallCounter } from '../shared/createCallCounter.js';

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

  const handlers: InventoryHandlers = {
    GetStock: countedUnary('GetStock', ({ upcs }) => ({ items: uniqueKeys(upcs, 'upcs').flatMap((upc) => byUpc.get(upc) ?? []) }), context),
  };

  const proto = loadProto<ProtoGrpcType>(join(protosDir, 'inventory.proto'));
  const server = new grpc.Server();
  server.addService(proto.portico.inventory.v1.Inventory.service, handlers);
  addCallCountersService(server, context.counter);
  return server;
}
