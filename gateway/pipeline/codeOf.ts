import { HttpError } from '../../common/http/HttpError.js';
import type { ProducedError } from './Feature.js';

/** The `extensions.code` an error the gateway produced carries (undefined where it has none). */
export function codeOf(error: ProducedError): unknown {
  return error instanceof HttpError ? error.code : error.extensions.code;
}
