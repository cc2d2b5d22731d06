import { httpStatusOf, type ErrorCode } from '../errorCodes.js';

/**
 * A request the HTTP layer refuses before GraphQL runs. Its body has the same shape as a
 * GraphQL error response, so clients read every failure the same way.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Headers the refusal needs, such as `allow` on a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
    /** More for `extensions`, such as the limit a refusal enforces and the measured value. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  get status(): number {
    return httpStatusOf[this.code];
  }

  toBody(): { errors: [{ message: string; extensions: { code: ErrorCode } & Record<string, unknown> }] } {
    return { errors: [{ message: this.message, extensions: { ...this.extensions, code: this.code } }] };
  }
}
