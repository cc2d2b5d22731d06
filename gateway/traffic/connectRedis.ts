import type { Redis } from 'ioredis';
import type { Logger } from '../../common/createLogger.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';

const REDIS_STARTUP_WAIT_MS = 3_000;

export interface RedisConnection {
  /** The connection, where rate limiting or APQ keep their state in Redis; null otherwise. */
  redis: Redis | null;
  /** Closes the connection, if there is one. */
  close(): Promise<void>;
}

/**
 * The one Redis connection rate limiting and APQ share, where either keeps its state in Redis:
 * connected before it returns (or given up on after a few seconds), since requests that arrive
 * before the connection would otherwise all take the `onStoreError` path.
 */
export async function connectRedis(config: Pick<GatewayConfig, 'rateLimit' | 'persistedQueries' | 'redis'>, logger: Logger): Promise<RedisConnection> {
  const { rateLimit, persistedQueries, redis: redisConfig } = config;
  const wantsRedis = (rateLimit.enabled && rateLimit.store === 'redis') || (persistedQueries.enabled && persistedQueries.store === 'redis');
  // Loaded only when used: the Redis client is a sizeable part of the gateway's memory.
  const redisModule = wantsRedis && redisConfig.url ? await import('./createRedisClient.js') : null;
  const redis = redisModule && redisConfig.url ? redisModule.createRedisClient(redisConfig.url, logger.child({ component: 'redis' })) : null;
  if (redis && redisModule) await redisModule.whenReady(redis, REDIS_STARTUP_WAIT_MS);
  return {
    redis,
    async close() {
      if (redis && redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
    },
  };
}
