import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import type { Logger } from '../../common/createLogger.js';
import { HttpError } from '../../common/http/HttpError.js';
import { toHeaderValue } from '../../common/http/toHeaderValue.js';
import type { AuthenticationConfig } from '../config/SecurityConfig.js';
import type { Viewer } from '../GatewayContext.js';
import { AuthenticationFailure } from './AuthenticationFailure.js';
import { checkIdentityFits } from './checkIdentityFits.js';
import { createTokenVerifier } from './createTokenVerifier.js';
import { readBearerToken } from './readBearerToken.js';

export interface Authenticator {
  /**
   * The caller of a request; null when it is anonymous and that is allowed. A request whose
   * token fails any check, or that has none when one is required, is refused with a 401
   * `HttpError` that carries `WWW-Authenticate` and says which check failed.
   */
  authenticate(headers: IncomingHttpHeaders): Promise<Viewer | null>;
}

/**
 * Authentication at the gateway: once per request, before anything else runs. `logger` hears
 * what the client is not told, such as why the key set could not be fetched.
 */
export function createAuthenticator(config: AuthenticationConfig, logger?: Logger): Authenticator {
  if (config.mode === 'off') return { authenticate: async () => null };
  const verify = createTokenVerifier(config, {
    onFetchError: (error) => logger?.warn({ err: error, url: config.jwks?.url }, 'the JWKS key set could not be fetched; known keys are still used'),
  });
  return {
    async authenticate(headers) {
      try {
        const token = readBearerToken(headers, config.cookie);
        if (token !== null) {
          const viewer = await verify(token);
          checkIdentityFits(viewer, config, headers.authorization);
          return viewer;
        }
        if (config.mode === 'optional') return null;
        throw new AuthenticationFailure('this gateway requires a token: send "Authorization: Bearer <token>"', 'missing');
      } catch (error) {
        if (!(error instanceof AuthenticationFailure)) throw error;
        throw new HttpError(ErrorCode.UNAUTHENTICATED, `Authentication failed: ${error.message}.`, {
          'www-authenticate': challengeOf(error),
        });
      }
    },
  };
}

// RFC 6750 §3: no error attribute when no credentials were sent. The description is the
// message made a valid quoted string (it may quote the token's header, which is client text).
function challengeOf(failure: AuthenticationFailure): string {
  if (failure.kind === 'missing') return 'Bearer realm="portico"';
  const description = toHeaderValue(failure.message, { quoted: true, maxLength: 256 });
  return `Bearer realm="portico", error="${failure.kind}", error_description="${description}"`;
}
