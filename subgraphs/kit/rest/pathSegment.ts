import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../common/errorCodes.js';

/**
 * A key as one segment of a request path, percent-encoded. `""`, `.` and `..` are refused, never
 * sent: an empty segment names the collection, and dot segments are resolved away by URL parsers
 * and servers (`/products/../reviews` is `/reviews`), which encoding cannot stop (WHATWG URL
 * reads `%2e%2e` as `..` too). The refusal is NOT_FOUND: no resource can be named so, so an API
 * module that answers null for a 404 answers null for it as well, and a key that came from stored
 * data (another caller's) is no fault of the caller who reads it.
 */
export function pathSegment(key: string): string {
  if (key === '' || key === '.' || key === '..') {
    throw new GraphQLError(`No resource can be named "${key}": it is not a path segment.`, { extensions: { code: ErrorCode.NOT_FOUND } });
  }
  return encodeURIComponent(key);
}
