import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { AuthenticationConfig } from '../config/SecurityConfig.js';
import type { Viewer } from '../GatewayContext.js';
import { AuthenticationFailure } from './AuthenticationFailure.js';
import { createKeyResolver } from './createKeyResolver.js';
import type { KeySetCacheOptions } from './createKeySetCache.js';
import { quoteClientValue } from './quoteClientValue.js';

/** Verifies a JWT and returns the caller, or throws an `AuthenticationFailure` naming the check that failed. */
export type TokenVerifier = (token: string) => Promise<Viewer>;

/**
 * Checks, in order: the token is a JWT; its algorithm is one the config pins (never `none`);
 * the signature, with the key for that algorithm's family; issuer, audience, expiry,
 * not-before (with the configured clock tolerance) and age (`maxTokenAgeSeconds`); that it
 * expires at all (`requireExpiry`); `sub` and the required claims. Values the token carries are
 * quoted in messages only through `quoteClientValue`; configuration never is, beyond the
 * accepted algorithms.
 */
export function createTokenVerifier(config: AuthenticationConfig, keySetOptions: KeySetCacheOptions = {}): TokenVerifier {
  const resolveKey = createKeyResolver(config, keySetOptions);
  const accepted = config.algorithms.join(', ');

  return async (token) => {
    const decoded = decode(token);
    if (decoded === null || typeof decoded.payload === 'string') throw new AuthenticationFailure('the token is not a well-formed JWT', 'invalid_token');
    // The header is client JSON: neither field is trusted to have the type jsonwebtoken declares.
    const { alg, kid, crit } = decoded.header as { alg?: unknown; kid?: unknown; crit?: unknown };
    if (typeof alg !== 'string' || !(config.algorithms as string[]).includes(alg)) {
      throw new AuthenticationFailure(`the token is signed with ${quoteClientValue(alg)}, which is not accepted (accepted: ${accepted})`, 'invalid_token');
    }
    if (kid !== undefined && typeof kid !== 'string') throw new AuthenticationFailure('the token\'s key id ("kid") is not a string', 'invalid_token');
    // RFC 7515 §4.1.11: header extensions the token says must be understood, and this gateway understands none.
    if (crit !== undefined)
      throw new AuthenticationFailure('the token names header extensions that must be understood ("crit"); this gateway understands none', 'invalid_token');
    const key = await resolveKey(kid === undefined ? { alg } : { alg, kid });
    let payload: JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: config.algorithms,
        clockTolerance: config.clockToleranceSeconds,
        ...(config.maxTokenAgeSeconds !== null ? { maxAge: config.maxTokenAgeSeconds } : {}),
        ...(config.issuer.length > 0 ? { issuer: config.issuer as [string, ...string[]] } : {}),
        ...(config.audience.length > 0 ? { audience: config.audience as [string, ...string[]] } : {}),
      }) as JwtPayload;
    } catch (error) {
      throw failureOf(error, config);
    }
    // `exp: 1e999` is Infinity once parsed: no expiry at all.
    if (config.requireExpiry && (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp))) {
      throw new AuthenticationFailure('the token has no expiry ("exp" claim), and this gateway accepts only tokens that expire', 'invalid_token');
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthenticationFailure('the token has no subject ("sub" claim)', 'invalid_token');
    for (const claim of config.requiredClaims) {
      if (payload[claim] === undefined) throw new AuthenticationFailure(`the token lacks the required claim "${claim}"`, 'invalid_token');
    }
    return { subject: payload.sub, scopes: scopesOf(payload), claims: payload };
  };
}

// jws parses the payload of a token whose header says `"typ":"JWT"` without catching: a
// payload that is not JSON would throw out of jwt.decode (a 500), so it is a malformed token.
function decode(token: string): jwt.Jwt | null {
  try {
    return jwt.decode(token, { complete: true });
  } catch {
    return null;
  }
}

// jsonwebtoken's own messages are terse and some echo configuration (accepted issuers and
// audiences can name internal hosts): these say what to fix, and show no configured value.
function failureOf(error: unknown, config: AuthenticationConfig): AuthenticationFailure {
  if (error instanceof jwt.TokenExpiredError) {
    if (error.message === 'maxAge exceeded') {
      return new AuthenticationFailure(
        `the token is too old: this gateway accepts tokens for ${config.maxTokenAgeSeconds} seconds after they are issued ("iat")`,
        'invalid_token',
      );
    }
    return new AuthenticationFailure(`the token expired at ${isoOf(error.expiredAt)}`, 'invalid_token');
  }
  if (error instanceof jwt.NotBeforeError) return new AuthenticationFailure(`the token is not valid before ${isoOf(error.date)}`, 'invalid_token');
  const message = error instanceof Error ? error.message : '';
  if (message === 'invalid signature') return new AuthenticationFailure('the token signature is invalid', 'invalid_token');
  if (message.startsWith('jwt issuer invalid')) return new AuthenticationFailure('the token issuer ("iss" claim) is not accepted', 'invalid_token');
  if (message.startsWith('jwt audience invalid')) return new AuthenticationFailure('the token audience ("aud" claim) is not accepted', 'invalid_token');
  if (message === 'invalid algorithm') return new AuthenticationFailure('the token algorithm does not match its key', 'invalid_token');
  if (message === 'iat required when maxAge is specified')
    return new AuthenticationFailure('the token has no issue time ("iat" claim), which this gateway needs to check its age', 'invalid_token');
  const badTime = /^invalid (exp|nbf|iat) value$/.exec(message);
  if (badTime) return new AuthenticationFailure(`the token's "${badTime[1]}" claim is not a time in seconds`, 'invalid_token');
  if (message.startsWith('jwt malformed') || message === 'invalid token')
    return new AuthenticationFailure('the token is not a well-formed JWT', 'invalid_token');
  return new AuthenticationFailure('the token could not be verified', 'invalid_token');
}

// A claim such as `exp: 1e300` makes a Date that toISOString refuses: the message must not throw.
function isoOf(date: Date): string {
  return Number.isNaN(date.getTime()) || Math.abs(date.getTime()) > 8.64e15 ? 'a time out of range' : date.toISOString();
}

// OAuth servers put scopes in `scope` (a space-separated string); some use `scp` (a list).
function scopesOf(payload: JwtPayload): string[] {
  const raw: unknown = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === 'string');
  return [];
}
