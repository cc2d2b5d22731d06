import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AuthenticationConfig } from '../config/SecurityConfig.js';
import { AuthenticationFailure } from './AuthenticationFailure.js';
import { createKeySetCache, type KeySetCacheOptions } from './createKeySetCache.js';
import { quoteClientValue } from './quoteClientValue.js';

/** Finds the key that verifies a token, from its header's `alg` (one of the pinned algorithms) and `kid`. */
export type KeyResolver = (header: { alg: string; kid?: string }) => Promise<KeyObject>;

/**
 * Keys by algorithm family, so that an HS token is only ever checked against the shared secret
 * and an asymmetric one only against a public key: a public key used as an HMAC secret is the
 * classic algorithm-confusion forgery. JWKS keys come from `createKeySetCache`, which follows
 * rotation without a restart and never lets tokens with invented `kid`s lock out real ones.
 */
export function createKeyResolver(config: AuthenticationConfig, keySetOptions: KeySetCacheOptions = {}): KeyResolver {
  const publicKey = config.publicKeyFile ? createPublicKey(readFileSync(config.publicKeyFile)) : null;
  // A KeyObject made once: given the secret as a string, jsonwebtoken first tries it as a public
  // key on every verification, and the thrown OpenSSL error cost ~0.3 ms a token (the largest
  // share of what a flood of bad tokens cost the gateway). Same bytes: the secret's UTF-8.
  const secretKey = config.secret === null ? null : createSecretKey(Buffer.from(config.secret, 'utf8'));
  const keySet = config.jwks ? createKeySetCache(config.jwks, keySetOptions) : null;

  return async ({ alg, kid }) => {
    if (alg.startsWith('HS')) {
      if (secretKey === null) throw new AuthenticationFailure(`tokens signed with ${alg} are not accepted here`, 'invalid_token');
      return secretKey;
    }
    if (keySet && kid !== undefined) {
      const found = await keySet.lookup(kid);
      if ('key' in found) return found.key;
      throw new AuthenticationFailure(messageOf(found.missing, kid), 'invalid_token');
    }
    if (publicKey) return publicKey;
    throw new AuthenticationFailure('the token has no key id ("kid") to look up in the key set', 'invalid_token');
  };
}

// Never the key set's URL: that is the operator's to know (it is in the gateway's log).
function messageOf(missing: 'unknown' | 'throttled' | 'unavailable', kid: string): string {
  switch (missing) {
    case 'unknown':
      return `no key with id ${quoteClientValue(kid)} in the key set`;
    case 'throttled':
      return `no key with id ${quoteClientValue(kid)} in the key set, which was checked for unknown key ids too often lately; try again in a minute`;
    case 'unavailable':
      return 'the key set could not be fetched, so the token cannot be verified';
    default: {
      const unreachable: never = missing;
      return unreachable;
    }
  }
}
