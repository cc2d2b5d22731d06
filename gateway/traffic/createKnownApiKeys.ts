import { createHash } from 'node:crypto';
import type { RedisClient } from './createRedisClient.js';
import type { Logger } from '../../common/createLogger.js';

export interface KnownApiKeysOptions {
  /** `rateLimit.apiKeys`: kept as their SHA-256 hashes only. */
  keys: readonly string[];
  /** With `rateLimit.store: redis`: keys whose SHA-256 (hex) is in the set `<keyPrefix>apikeys` are known too. */
  redis: RedisClient | null;
  keyPrefix: string;
  logger: Logger;
}

export interface KnownApiKeys {
  /** The key's identity (part of its hash) when the key is known, else null: an unknown key is no key. */
  identify(key: string): Promise<string | null>;
}

// Redis answers are remembered briefly, so that a known client costs no lookup per request; a
// key removed from Redis stops counting within this time.
const CACHE_TTL_MS = 30_000;
// Bounded: a flood of invented keys evicts the oldest answers, never grows memory.
const MAX_CACHED_KEYS = 10_000;
// The longest value worth hashing; longer ones are not keys anyone issued.
const MAX_KEY_LENGTH = 512;
const WARNING_INTERVAL_MS = 10_000;

/**
 * Which API keys identify a client. A key the client merely sends proves nothing (anyone can
 * invent one per request and so escape every per-client limit): only keys the operator issued
 * count, configured or stored in Redis, compared by hash so that memory and Redis never hold a
 * usable key.
 */
export function createKnownApiKeys(options: KnownApiKeysOptions): KnownApiKeys {
  const configured = new Set(options.keys.map(sha256));
  const { redis } = options;
  const setKey = `${options.keyPrefix}apikeys`;
  const cache = new Map<string, { known: boolean; until: number }>();
  let lastWarning = 0;

  const lookUp = async (hash: string): Promise<boolean> => {
    if (!redis) return false;
    const cached = cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.known;
    let known: boolean;
    try {
      known = (await redis.sismember(setKey, hash)) === 1;
    } catch (error) {
      // Unreachable: the key counts as unknown (its address is then the client), and is asked again next time.
      if (Date.now() - lastWarning > WARNING_INTERVAL_MS) {
        lastWarning = Date.now();
        options.logger.warn({ err: String(error) }, 'API key lookup in Redis failed; the key counts as unknown');
      }
      return false;
    }
    cache.delete(hash);
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
    cache.set(hash, { known, until: Date.now() + CACHE_TTL_MS });
    return known;
  };

  return {
    async identify(key) {
      if (key.length === 0 || key.length > MAX_KEY_LENGTH) return null;
      const hash = sha256(key);
      return configured.has(hash) || (await lookUp(hash)) ? `key:${hash.slice(0, 32)}` : null;
    },
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
