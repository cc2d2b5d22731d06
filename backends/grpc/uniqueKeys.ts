import { status } from '@grpc/grpc-js';
import { GrpcError } from './GrpcError.js';

/** The most keys one batch call may carry, as the protos promise. */
export const maxBatchSize = 1000;

/**
 * The keys of a batch call in request order, each once; INVALID_ARGUMENT past `limit`. The
 * limit counts keys as sent, duplicates included.
 */
export function uniqueKeys(keys: readonly string[], field: string, limit: number = maxBatchSize): string[] {
  if (keys.length > limit) {
    throw new GrpcError(status.INVALID_ARGUMENT, `at most ${limit} ${field} per call, got ${keys.length}`);
  }
  return [...new Set(keys)];
}
