import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { ProtoGrpcType as CatalogProto } from '../../../common/grpc/generated/catalog.js';
import type { ProtoGrpcType as CountersProto } from '../../../common/grpc/generated/counters.js';
import type { ProtoGrpcType as InventoryProto } from '../../../common/grpc/generated/inventory.js';
import type { CatalogClient } from '../../../common/grpc/generated/portico/catalog/v1/Catalog.js';
import type { CallCountersClient } from '../../../common/grpc/generated/portico/counters/v1/CallCounters.js';
import type { InventoryClient } from '../../../common/grpc/generated/portico/inventory/v1/Inventory.js';
import { loadProto, protosDir } from '../../../common/grpc/loadProto.js';

const insecure = grpc.credentials.createInsecure();

export function catalogClient(address: string): CatalogClient {
  const proto = loadProto<CatalogProto>(join(protosDir, 'catalog.proto'));
  return new proto.portico.catalog.v1.Catalog(address, insecure);
}

export function inventoryClient(address: string): InventoryClient {
  const proto = loadProto<InventoryProto>(join(protosDir, 'inventory.proto'));
  return new proto.portico.inventory.v1.Inventory(address, insecure);
}

export function countersClient(address: string): CallCountersClient {
  const proto = loadProto<CountersProto>(join(protosDir, 'counters.proto'));
  return new proto.portico.counters.v1.CallCounters(address, insecure);
}

/**
 * Runs one unary call with a deadline (so a broken server fails the test instead of hanging it),
 * e.g. `unary((md, opts, cb) => client.getProducts({ upcs }, md, opts, cb))`.
 */
export function unary<T>(
  start: (metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<T>) => void,
  metadata: grpc.Metadata = new grpc.Metadata(),
): Promise<T> {
  return new Promise((resolve, reject) => {
    start(metadata, { deadline: Date.now() + 5000 }, (error, response) => {
      if (error) reject(error);
      else if (response === undefined) reject(new Error('no response'));
      else resolve(response);
    });
  });
}

/** The gRPC status a failed call ended with, or a failure if it did not fail. */
export async function statusOf(call: Promise<unknown>): Promise<{ code: grpc.status; details: string }> {
  try {
    await call;
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, details };
  }
  throw new Error('expected the call to fail');
}
