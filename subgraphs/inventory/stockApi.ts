import { loadProto } from '../../common/grpc/loadProto.js';
import type { ProtoGrpcType } from '../../common/grpc/generated/inventory.js';
import type { GetStockResponse__Output } from '../../common/grpc/generated/portico/inventory/v1/GetStockResponse.js';
import type { InventoryClient } from '../../common/grpc/generated/portico/inventory/v1/Inventory.js';
import type { StockLevel__Output } from '../../common/grpc/generated/portico/inventory/v1/StockLevel.js';
import type { EventsEnded } from '../kit/events/EventBus.js';
import { callServerStream } from '../kit/grpc/callServerStream.js';
import { callUnary } from '../kit/grpc/callUnary.js';
import { createGrpcClient } from '../kit/grpc/createGrpcClient.js';
import type { CallOptions } from '../kit/rest/createRestClient.js';

/** A product as other subgraphs refer to it; `price` and `weight` come with `@requires`. */
export interface ProductReference {
  upc: string;
  price?: number;
  weight?: number;
  /** The product's stock when it is already known (a stock change, a mutation's answer). */
  stock?: StockRecord;
}

export type StockRecord = StockLevel__Output;

/** Most UPCs `GetStock` takes in one call. */
export const stockBatchLimit = 1000;

/** The inventory gRPC service, as this subgraph uses it. */
export interface StockApi {
  /** Stock by UPC, at most `stockBatchLimit`; unknown UPCs are left out. */
  byUpcs(upcs: readonly string[], call: CallOptions): Promise<StockRecord[]>;
  /** Sets a product's units on hand (SetStock); its watchers are told by the service. */
  setStock(upc: string, quantity: number, call: CallOptions): Promise<StockRecord>;
  /** Each change of these products' stock (WatchStock), until `call.signal` aborts or the iterator is returned. */
  watch(upcs: readonly string[], call: CallOptions): AsyncIterableIterator<StockRecord | EventsEnded>;
  close(): void;
}

export function createStockApi(address: string, timeoutMs: number): StockApi {
  const proto = loadProto<ProtoGrpcType>('inventory.proto');
  const client: InventoryClient = createGrpcClient(proto.portico.inventory.v1.Inventory, address);
  return {
    async byUpcs(upcs, call) {
      const response = await callUnary<GetStockResponse__Output>(
        (metadata, callOptions, done) => client.GetStock({ upcs: [...upcs] }, metadata, callOptions, done),
        { backend: 'inventory', method: 'GetStock', timeoutMs, ...call },
      );
      return response.items;
    },
    setStock: (upc, quantity, call) =>
      callUnary<StockRecord>((metadata, callOptions, done) => client.SetStock({ upc, quantity }, metadata, callOptions, done), {
        backend: 'inventory',
        method: 'SetStock',
        timeoutMs,
        ...call,
      }),
    watch: (upcs, call) =>
      callServerStream<StockRecord>((metadata) => client.WatchStock({ upcs: [...upcs] }, metadata), { backend: 'inventory', method: 'WatchStock', ...call }),
    close: () => client.close(),
  };
}
