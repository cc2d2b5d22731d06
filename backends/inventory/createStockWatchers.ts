import * as grpc from '@grpc/grpc-js';
import type { StockLevel__Output } from '../../common/grpc/generated/portico/inventory/v1/StockLevel.js';
import type { WatchStockRequest__Output } from '../../common/grpc/generated/portico/inventory/v1/WatchStockRequest.js';
import type { StockLevel } from '../data/types.js';
import { uniqueKeys } from '../grpc/uniqueKeys.js';
import { GrpcError } from '../grpc/GrpcError.js';

/** Bytes a WatchStock stream may hold unsent before its caller is ended as too slow. */
export const maxUnsentBytes = 1024 * 1024;

export interface StockWatchers {
  /** Serves one WatchStock call until its caller cancels (or is too slow to keep). */
  watch(call: grpc.ServerWritableStream<WatchStockRequest__Output, StockLevel__Output>): void;
  /** Sends a changed level to every stream that watches its UPC. */
  changed(level: StockLevel): void;
  /** Streams open now. */
  readonly size: number;
}

/**
 * The open WatchStock streams, indexed by UPC so a change costs only its watchers. A stream whose
 * caller stops reading is ended with RESOURCE_EXHAUSTED once it holds `maxUnsentBytes` unsent,
 * rather than buffering for it without limit.
 */
export function createStockWatchers(knows: (upc: string) => boolean): StockWatchers {
  type Call = grpc.ServerWritableStream<WatchStockRequest__Output, StockLevel__Output>;
  const byUpc = new Map<string, Set<Call>>();
  let size = 0;
  const stop = (call: Call, upcs: readonly string[]) => {
    for (const upc of upcs) {
      const watchers = byUpc.get(upc);
      if (!watchers?.delete(call)) continue;
      if (watchers.size === 0) byUpc.delete(upc);
    }
  };
  return {
    watch(call) {
      let upcs: string[];
      try {
        upcs = uniqueKeys(call.request.upcs, 'upcs');
        if (upcs.length === 0) throw new GrpcError(grpc.status.INVALID_ARGUMENT, 'at least one upc to watch');
        const unknown = upcs.find((upc) => !knows(upc));
        if (unknown !== undefined) throw new GrpcError(grpc.status.NOT_FOUND, `no product ${unknown.slice(0, 64)}`);
      } catch (error) {
        const { code, message } = error as GrpcError;
        call.emit('error', { code, details: message });
        return;
      }
      for (const upc of upcs) {
        let watchers = byUpc.get(upc);
        if (!watchers) byUpc.set(upc, (watchers = new Set()));
        watchers.add(call);
      }
      size += 1;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        size -= 1;
        stop(call, upcs);
      };
      call.on('cancelled', end);
      call.on('close', end);
      call.on('error', end);
    },
    changed(level) {
      for (const call of byUpc.get(level.upc) ?? []) {
        if (call.writableLength > maxUnsentBytes) {
          call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: 'the caller reads stock changes too slowly; watch again' });
          continue;
        }
        call.write({ ...level });
      }
    },
    get size() {
      return size;
    },
  };
}
