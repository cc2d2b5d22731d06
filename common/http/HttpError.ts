import { httpStatusOf, type ErrorCode } from '../errorCodes.js';
import { toHeaderValue } from './toHeaderValue.js';

/**
 * A request the HTTP layer refuses before GraphQL runs. Its body has the same shape as a
 * GraphQL error response, so clients read every failure the same way.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** Headers the refusal needs, such as `allow` on a 405; each value made a valid header value. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Any text: values are passed through `toHeaderValue` here, so a refusal can quote the client. */
    headers: Readonly<Record<string, string>> = {},
    /** More for `extensions`, such as the limit a refusal enforces and the measured value. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.headers = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, toHeaderValue(String(value))]));
  }

  get status(): number {
    return httpStatusOf[this.code];
  }

  toBody(): { errors: [{ message: string; extensions: { code: ErrorCode } & Record<string, unknown> }] } {
    return { errors: [{ message: this.message, extensions: { ...this.extensions, code: this.code } }] };
  }
}
