import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';

/** A 503 rather than a partial sum: a counter that dips would read as a reset, a false spike in rate(). */
export function metricsUnavailable(reason: string): HttpError {
  return new HttpError(ErrorCode.SERVICE_NOT_READY, `Metrics are unavailable: ${reason}`);
}
