import type { RedisClient } from './createRedisClient.js';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory.js';
import RateLimiterRedis from 'rate-limiter-flexible/lib/RateLimiterRedis.js';
import type { RateLimitConfig } from '../config/TrafficConfig.js';

/** One counter per rule: what it counts and how many per window. */
export interface Limiter {
  /** The rule's name: `address`, `default`, `cost`, or one of `rateLimit.rules`. */
  name: string;
  /** Counts operations with this name or this root field (`Query.users`); neither: every operation. */
  operationName?: string;
  rootField?: string;
  /** Charged with the operation's estimated cost instead of 1. */
  byCost: boolean;
  limit: number;
  windowSeconds: number;
  counter: RateLimiterAbstract;
}

export interface Limiters {
  /** `rateLimit.perAddress`: HTTP requests per client address, counted in the HTTP layer. */
  address: Limiter;
  /** `rateLimit.perAddress.newDocuments`: documents the gateway has not accepted before, per client address; null when `0`. */
  newDocuments: Limiter | null;
  /** `rateLimit.perAddress.bodyBytes`: request body bytes per client address; null when `0`. */
  bodyBytes: Limiter | null;
  /** `rateLimit.perAddress.authFailures`: requests authentication refused, per client address; null when `0`. */
  authFailures: Limiter | null;
  /** Operations per client (token subject, known API key or address): `default`, `cost` and `rules`. */
  perClient: Limiter[];
}

/**
 * The counters of the configured rules, in memory or in Redis. Redis counters are fixed windows
 * keyed by rule and client, so every replica on the same Redis shares them; the client
 * `rejectIfRedisNotReady` turns an unreachable Redis into an immediate error (see onStoreError).
 */
export function createLimiters(config: RateLimitConfig, redis: RedisClient | null, keyPrefix: string): Limiters {
  const counter = (name: string, points: number, duration: number): RateLimiterAbstract => {
    const options = { points, duration, keyPrefix: `${keyPrefix}rl:${name}` };
    if (config.store === 'memory') return new RateLimiterMemory(options);
    if (!redis) throw new Error('rateLimit.store is "redis" without a Redis client');
    return new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true });
  };
  const fromRule = (name: string, windowSeconds: number, limit: number, byCost: boolean) => ({
    name,
    byCost,
    limit,
    windowSeconds,
    counter: counter(name, limit, windowSeconds),
  });
  const budget = (name: string, { windowSeconds, limit }: { windowSeconds: number; limit: number }) =>
    limit > 0 ? fromRule(name, windowSeconds, limit, false) : null;
  return {
    address: fromRule('address', config.perAddress.windowSeconds, config.perAddress.limit, false),
    newDocuments: budget('newDocuments', config.perAddress.newDocuments),
    bodyBytes: budget('bodyBytes', config.perAddress.bodyBytes),
    authFailures: budget('authFailures', config.perAddress.authFailures),
    perClient: [
      fromRule('default', config.default.windowSeconds, config.default.limit, false),
      fromRule('cost', config.cost.windowSeconds, config.cost.budget, true),
      ...config.rules.map((rule) => ({
        ...fromRule(rule.name, rule.windowSeconds, rule.limit, false),
        ...(rule.operationName === undefined ? {} : { operationName: rule.operationName }),
        ...(rule.rootField === undefined ? {} : { rootField: rule.rootField }),
      })),
    ],
  };
}
