import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../common/errorCodes.js';

/**
 * Longest key a loader passes to a backend, in UTF-16 code units, unless told otherwise: far
 * above any real id or UPC, far below what would make a backend URL or message unreasonable.
 */
export const defaultMaxKeyLength = 256;

/**
 * The error for a key a loader refuses to send to its backend (a string longer than
 * `maxLength`), or undefined for a key it sends. Keys are what clients pass as ids: bounding
 * them here bounds every backend call, REST URL and gRPC message alike, made through the kit.
 */
export function keyTooLong(key: unknown, maxLength: number): GraphQLError | undefined {
  if (typeof key !== 'string' || key.length <= maxLength) return undefined;
  return new GraphQLError(`An id of ${key.length} characters is longer than the ${maxLength} accepted.`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, maxLength },
  });
}
