import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import type { default as jwksClientFactory } from 'jwks-rsa';
import type { JwksConfig } from '../config/SecurityConfig.js';
import { fetchKeySet } from './fetchKeySet.js';

/** A key set lookup: the key, or why there is none (`unknown`: not in the set; `throttled`: not looked up, budget spent; `unavailable`: the set could not be fetched). */
export type KeyLookup = { key: KeyObject } | { missing: 'unknown' | 'throttled' | 'unavailable' };

export interface KeySetCache {
  lookup(kid: string): Promise<KeyLookup>;
}

export interface KeySetCacheOptions {
  /** Told about each failed fetch (with the URL, which clients are never told). */
  onFetchError?: (error: unknown) => void;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
  /** Fetches the whole key set, by `kid`. @default jwks-rsa's fetch of `config.url` */
  fetchKeys?: () => Promise<Map<string, KeyObject>>;
}

/**
 * The JWKS keys, cached so that no token can lock out another:
 *
 * - A `kid` the cache holds is always answered from it, even past `cacheMaxAgeMs`: an expired
 *   set is served while one refresh runs in the background (stale-while-revalidate), so a key
 *   set that is slow or down does not refuse the tokens it already vouched for.
 * - A refresh that is due (the set is expired or was never fetched) and a fetch for a `kid` the
 *   cache does not hold draw on two separate budgets of `refetchPerMinute`: a flood of invented
 *   `kid`s spends only the second, and then gets refused without a fetch. Each of its fetches
 *   reloads the whole set, so a key rotated in during a flood is still found within
 *   60 / `refetchPerMinute` seconds.
 * - At most one fetch is in flight; every lookup that needs it waits for that one.
 *
 * Invented `kid`s never become cache entries, so they cannot grow memory either.
 */
export function createKeySetCache(config: JwksConfig, options: KeySetCacheOptions = {}): KeySetCache {
  const now = options.now ?? Date.now;
  const fetchKeys = options.fetchKeys ?? fetchWithJwksRsa(config);
  const dueBudget = createBudget(config.refetchPerMinute, now);
  const unknownKidBudget = createBudget(config.refetchPerMinute, now);
  let keys: Map<string, KeyObject> | null = null;
  let fetchedAt = -Infinity;
  let refreshing: Promise<boolean> | null = null;

  const refresh = (): Promise<boolean> => {
    refreshing ??= fetchKeys()
      .then(
        (fresh) => {
          keys = fresh;
          fetchedAt = now();
          return true;
        },
        (error: unknown) => {
          options.onFetchError?.(error);
          return false;
        },
      )
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  return {
    async lookup(kid) {
      const expired = now() - fetchedAt >= config.cacheMaxAgeMs;
      const held = keys?.get(kid);
      if (held) {
        if (expired && refreshing === null && dueBudget.take()) void refresh();
        return { key: held };
      }
      let fetched: boolean;
      if (refreshing !== null) fetched = await refreshing;
      else if (expired ? dueBudget.take() : unknownKidBudget.take()) fetched = await refresh();
      else return { missing: keys === null ? 'unavailable' : 'throttled' };
      const found = keys?.get(kid);
      if (found) return { key: found };
      return { missing: fetched ? 'unknown' : 'unavailable' };
    },
  };
}

// jwks-rsa converts the set (JWK → PEM); its own cache and rate limit are off, as they share one
// budget between known and unknown kids, and fetchKeySet fetches it, bounded in time and size.
function fetchWithJwksRsa(config: JwksConfig): () => Promise<Map<string, KeyObject>> {
  // Loaded only for JWKS keys: most deployments verify with a secret or a PEM file.
  const client = (createRequire(import.meta.url)('jwks-rsa') as typeof jwksClientFactory)({
    jwksUri: config.url,
    cache: false,
    rateLimit: false,
    fetcher: (url) => fetchKeySet(url, { timeoutMs: config.timeoutMs }),
  });
  return async () => {
    const keys = new Map<string, KeyObject>();
    for (const key of await client.getSigningKeys()) {
      // Tokens name their key: one without a kid could never be chosen.
      if (typeof key.kid === 'string' && key.kid !== '') keys.set(key.kid, createPublicKey(key.getPublicKey()));
    }
    return keys;
  };
}

/** A token bucket of `perMinute` tokens, refilled continuously. */
function createBudget(perMinute: number, now: () => number): { take(): boolean } {
  let tokens = perMinute;
  let at = now();
  return {
    take() {
      const time = now();
      tokens = Math.min(perMinute, tokens + ((time - at) * perMinute) / 60_000);
      at = time;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
