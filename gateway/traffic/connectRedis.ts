import type { Logger } from '../../common/createLogger.js';
import { ConfigError } from '../config/ConfigError.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { RedisClient } from './createRedisClient.js';

const REDIS_STARTUP_WAIT_MS = 3_000;

export interface RedisConnection {
  /** The connection, where rate limiting or APQ keep their state in Redis; null otherwise. */
  redis: RedisClient | null;
  /** Closes the connection, if there is one. */
  close(): Promise<void>;
}

/**
 * The one Redis connection rate limiting, APQ and operation recording share, where one keeps its state in Redis:
 * connected before it returns (or given up on after a few seconds), since requests that arrive
 * before the connection would otherwise all take the `onStoreError` path.
 */
export async function connectRedis(
  config: Pick<GatewayConfig, 'rateLimit' | 'persistedQueries' | 'operationRecording' | 'redis'>,
  logger: Logger,
): Promise<RedisConnection> {
  const { rateLimit, persistedQueries, operationRecording, redis: redisConfig } = config;
  const wantsRedis =
    (rateLimit.enabled && rateLimit.store === 'redis') ||
    (persistedQueries.enabled && persistedQueries.store === 'redis') ||
    (operationRecording.enabled && operationRecording.store === 'redis');
  // Loaded only when used: the Redis client is a sizeable part of the gateway's memory.
  const redisModule = wantsRedis && redisConfig.url ? await import('./createRedisClient.js') : null;
  let redis: RedisClient | null = null;
  try {
    if (redisModule && redisConfig.url)
      redis = redisModule.createRedisClient(redisConfig.url, logger.child({ component: 'redis' }), redisConfig.commandTimeoutMs);
  } catch (error) {
    // A Sentinel or Cluster URL the schema's pattern let through but that does not parse.
    throw new ConfigError([`redis.url: ${(error as Error).message}`]);
  }
  if (redis && redisModule) await redisModule.whenReady(redis, REDIS_STARTUP_WAIT_MS);
  return {
    redis,
    async close() {
      if (redis && redisModule) await redisModule.closeRedisClient(redis);
    },
  };
}
