import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';

/** The most ids one batch request may ask for. */
export const maxBatchSize = 100;

/**
 * The ids of a batch query such as `?ids=1,2,3` (repeating `ids=` works too), in the order
 * asked with duplicates removed. The limit counts ids as sent, duplicates included, so a
 * caller cannot slip past it by repeating itself.
 */
export function parseIdList(query: URLSearchParams, name: string, limit: number = maxBatchSize): string[] {
  const raw = query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (raw.length === 0) throw new HttpError(ErrorCode.BAD_REQUEST, `query parameter '${name}' is required, e.g. ?${name}=1,2,3`);
  if (raw.length > limit) {
    throw new HttpError(ErrorCode.BAD_REQUEST, `at most ${limit} ${name} per request, got ${raw.length}`);
  }
  return [...new Set(raw)];
}
