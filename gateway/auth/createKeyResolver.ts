import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { default as jwksClientFactory, JwksClient } from 'jwks-rsa';
import type { AuthenticationConfig } from '../config/SecurityConfig.js';
import { AuthenticationFailure } from './AuthenticationFailure.js';

/** Finds the key that verifies a token, from its header's `alg` and `kid`. */
export type KeyResolver = (header: { alg: string; kid?: string }) => Promise<string | KeyObject>;

/**
 * Keys by algorithm family, so that an HS token is only ever checked against the shared secret
 * and an asymmetric one only against a public key: a public key used as an HMAC secret is the
 * classic algorithm-confusion forgery. JWKS keys are cached and re-fetched for an unknown `kid`
 * at a bounded rate, so rotation needs no restart.
 */
export function createKeyResolver(config: AuthenticationConfig): KeyResolver {
  const publicKey = config.publicKeyFile ? createPublicKey(readFileSync(config.publicKeyFile)) : null;
  const jwks: JwksClient | null = config.jwks
    ? // Loaded only for JWKS keys: most deployments verify with a secret or a PEM file.
      (createRequire(import.meta.url)('jwks-rsa') as typeof jwksClientFactory)({
        jwksUri: config.jwks.url,
        cache: true,
        cacheMaxAge: config.jwks.cacheMaxAgeMs,
        rateLimit: true,
        jwksRequestsPerMinute: config.jwks.refetchPerMinute,
        timeout: config.jwks.timeoutMs,
      })
    : null;

  return async ({ alg, kid }) => {
    if (alg.startsWith('HS')) {
      if (config.secret === null) throw new AuthenticationFailure(`tokens signed with ${alg} are not accepted here`, 'invalid_token');
      return config.secret;
    }
    if (jwks && kid !== undefined) return signingKeyFromJwks(jwks, kid, config.jwks!.url);
    if (publicKey) return publicKey;
    throw new AuthenticationFailure('the token has no key id ("kid") to look up in the key set', 'invalid_token');
  };
}

async function signingKeyFromJwks(jwks: JwksClient, kid: string, url: string): Promise<KeyObject> {
  try {
    const key = await jwks.getSigningKey(kid);
    return createPublicKey(key.getPublicKey());
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'SigningKeyNotFoundError') throw new AuthenticationFailure(`no key with id "${kid}" in the key set`, 'invalid_token');
    if (name === 'JwksRateLimitError') throw new AuthenticationFailure(`no key with id "${kid}" in the key set, and too many key set lookups were made lately; try again in a minute`, 'invalid_token');
    throw new AuthenticationFailure(`the key set at ${url} could not be fetched, so the token cannot be verified`, 'invalid_token');
  }
}
