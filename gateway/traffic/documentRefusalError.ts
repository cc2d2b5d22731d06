import { HttpError } from '../../common/http/HttpError.js';
import type { DocumentRefusal } from './checkDocument.js';

/** checkDocument's refusal as the HTTP layer answers it: a limit's with `limit`, `measured` and `allowed` in its extensions. */
export function documentRefusalError(refusal: DocumentRefusal): HttpError {
  if (!('limit' in refusal)) return new HttpError(refusal.code, refusal.message);
  return new HttpError(refusal.code, refusal.message, {}, { limit: refusal.limit, measured: refusal.measured, allowed: refusal.allowed });
}
