/** The error codes the demo REST backends put in `{ "error": { "code" } }`. */
export type RestErrorCode =
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL_SERVER_ERROR';

/** Thrown by handlers and helpers; the server turns it into a JSON error response. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: RestErrorCode,
    message: string,
    /** Extra response headers, e.g. `Allow` on a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'RestError';
  }

  static badRequest(message: string): RestError {
    return new RestError(400, 'BAD_REQUEST', message);
  }

  static notFound(message: string): RestError {
    return new RestError(404, 'NOT_FOUND', message);
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: RestErrorCode; message: string };
}
