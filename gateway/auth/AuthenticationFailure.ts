/**
 * Why a request could not be authenticated. The message says which check failed, for the
 * client; it never holds key material. `kind` chooses the RFC 6750 error in WWW-Authenticate.
 */
export class AuthenticationFailure extends Error {
  override readonly name = 'AuthenticationFailure';

  constructor(
    message: string,
    /** `invalid_request`: the credentials are malformed; `invalid_token`: the token is refused; `missing`: none was sent. */
    readonly kind: 'invalid_request' | 'invalid_token' | 'missing',
  ) {
    super(message);
  }
}
