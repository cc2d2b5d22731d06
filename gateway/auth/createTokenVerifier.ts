import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { AuthenticationConfig } from '../config/SecurityConfig.js';
import type { Viewer } from '../GatewayContext.js';
import { AuthenticationFailure } from './AuthenticationFailure.js';
import { createKeyResolver } from './createKeyResolver.js';

/** Verifies a JWT and returns the caller, or throws an `AuthenticationFailure` naming the check that failed. */
export type TokenVerifier = (token: string) => Promise<Viewer>;

/**
 * Checks, in order: the token is a JWT; its algorithm is one the config pins (never `none`);
 * the signature, with the key for that algorithm's family; issuer, audience, expiry and
 * not-before (with the configured clock tolerance); `sub` and the required claims.
 */
export function createTokenVerifier(config: AuthenticationConfig): TokenVerifier {
  const resolveKey = createKeyResolver(config);
  const accepted = config.algorithms.join(', ');

  return async (token) => {
    const decoded = jwt.decode(token, { complete: true });
    if (decoded === null || typeof decoded.payload === 'string') throw new AuthenticationFailure('the token is not a well-formed JWT', 'invalid_token');
    const { alg, kid } = decoded.header;
    if (!(config.algorithms as string[]).includes(alg)) {
      throw new AuthenticationFailure(`the token is signed with ${alg}, which is not accepted (accepted: ${accepted})`, 'invalid_token');
    }
    const key = await resolveKey({ alg, kid });
    let payload: JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: config.algorithms,
        clockTolerance: config.clockToleranceSeconds,
        ...(config.issuer.length > 0 ? { issuer: config.issuer as [string, ...string[]] } : {}),
        ...(config.audience.length > 0 ? { audience: config.audience as [string, ...string[]] } : {}),
      }) as JwtPayload;
    } catch (error) {
      throw failureOf(error, config);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthenticationFailure('the token has no subject ("sub" claim)', 'invalid_token');
    for (const claim of config.requiredClaims) {
      if (payload[claim] === undefined) throw new AuthenticationFailure(`the token lacks the required claim "${claim}"`, 'invalid_token');
    }
    return { subject: payload.sub, scopes: scopesOf(payload), claims: payload };
  };
}

// jsonwebtoken's own messages are terse and some echo configuration; these say what to fix.
function failureOf(error: unknown, config: AuthenticationConfig): AuthenticationFailure {
  if (error instanceof jwt.TokenExpiredError) return new AuthenticationFailure(`the token expired at ${error.expiredAt.toISOString()}`, 'invalid_token');
  if (error instanceof jwt.NotBeforeError) return new AuthenticationFailure(`the token is not valid before ${error.date.toISOString()}`, 'invalid_token');
  const message = (error as Error).message;
  if (message === 'invalid signature') return new AuthenticationFailure('the token signature is invalid', 'invalid_token');
  if (message.startsWith('jwt issuer invalid')) return new AuthenticationFailure(`the token issuer is not accepted (accepted: ${config.issuer.join(', ')})`, 'invalid_token');
  if (message.startsWith('jwt audience invalid')) return new AuthenticationFailure(`the token audience is not accepted (accepted: ${config.audience.join(', ')})`, 'invalid_token');
  if (message === 'invalid algorithm') return new AuthenticationFailure('the token algorithm does not match its key', 'invalid_token');
  if (message.startsWith('jwt malformed') || message === 'invalid token') return new AuthenticationFailure('the token is not a well-formed JWT', 'invalid_token');
  return new AuthenticationFailure('the token could not be verified', 'invalid_token');
}

// OAuth servers put scopes in `scope` (a space-separated string); some use `scp` (a list).
function scopesOf(payload: JwtPayload): string[] {
  const raw: unknown = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === 'string');
  return [];
}
