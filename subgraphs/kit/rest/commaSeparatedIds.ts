import type { BatchLimits } from '../loaders/BatchLimits.js';
import type { RestClient } from './createRestClient.js';

export interface CommaSeparatedIdsOptions {
  /** The batch endpoint's path, without a query, e.g. `/users`. */
  path: string;
  /** The query parameter that holds the ids, e.g. `ids`. */
  param: string;
  /** Most ids the endpoint takes in one call. */
  maxIds: number;
}

/** A batch endpoint that takes its ids comma-separated in one query parameter. */
export interface CommaSeparatedIds {
  /** What one call can carry, for `createBatchLoader`. */
  limits: BatchLimits<string>;
  /** The path and query asking for `ids`, which must be within `limits`. */
  pathFor(ids: readonly string[]): string;
}

/**
 * The id list of a batch endpoint such as `GET /users?ids=1,2,3`, as services commonly read it
 * (the demo users service among them): the parameter is decoded, then split on commas, and each
 * id trimmed. Percent-encoding a comma does not keep it in one id, since the split comes after
 * the decoding. So the list cannot carry an id with a comma (the service would read several ids,
 * each counted against its limit), nor an empty id or one with whitespace around it (it would
 * read none, or another id); and the ids together must fit the client's URL limit.
 */
export function commaSeparatedIds(client: RestClient, options: CommaSeparatedIdsOptions): CommaSeparatedIds {
  const head = `${options.path}?${encodeURIComponent(options.param)}=`;
  return {
    limits: {
      maxBatchSize: options.maxIds,
      carries: (id) => id !== '' && !id.includes(',') && id.trim() === id,
      // Each id brings its comma; the first has none, which the budget's extra byte makes up.
      keyBytes: (id) => encodeURIComponent(id).length + 1,
      maxBatchBytes: client.urlBytesLeft(head) + 1,
    },
    pathFor: (ids) => head + ids.map(encodeURIComponent).join(','),
  };
}
