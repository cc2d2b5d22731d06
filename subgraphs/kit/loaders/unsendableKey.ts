import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../common/errorCodes.js';

/**
 * Longest key a loader passes to a backend, in UTF-16 code units, unless told otherwise: far
 * above any real id or UPC, far below what would make a backend URL or message unreasonable.
 */
export const defaultMaxKeyLength = 256;

/**
 * The error for a key a loader refuses to send to its backend, or undefined for a key it sends.
 * Keys are what clients pass as ids (and what a token's `sub` is), so a string key must be
 * short (at most `maxLength`) and well-formed Unicode: a lone surrogate has no UTF-8 form, so no
 * backend can know it, and `encodeURIComponent` throws on it. Checking here bounds every backend
 * call made through the kit's loaders, REST URL and gRPC message alike.
 */
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unsendableKey(key: unknown, maxLength: number): GraphQLError | undefined {
  if (typeof key !== 'string') return undefined;
  if (key.length > maxLength) {
    return new GraphQLError(`An id of ${key.length} characters is longer than the ${maxLength} accepted.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, maxLength },
    });
  }
  if (loneSurrogate.test(key)) {
    return new GraphQLError('An id holds a lone surrogate, which is not a character.', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
  return undefined;
}
