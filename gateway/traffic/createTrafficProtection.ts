import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import type { RedisClient } from './createRedisClient.js';
import type { Logger } from '../../common/createLogger.js';
import { ConfigError } from '../config/ConfigError.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { DemandControl } from '../plugins/createDemandControl.js';
import { createRateLimitPlugin } from '../plugins/createRateLimitPlugin.js';
import { createTrustedDocumentsPlugin } from '../plugins/createTrustedDocumentsPlugin.js';
import { createAddressLimit, type AddressLimit } from './createAddressLimit.js';
import { createAddressResolver } from './createAddressResolver.js';
import { createClientResolver } from './createClientResolver.js';
import { createKnownApiKeys } from './createKnownApiKeys.js';
import { createLimiters } from './createLimiters.js';
import { createRedisDocumentCache } from './createRedisDocumentCache.js';
import { readManifest } from './readManifest.js';

const REDIS_STARTUP_WAIT_MS = 3_000;

export interface TrafficProtection {
  /** Trusted documents and rate limiting, in that order. */
  plugins: ApolloServerPlugin<GatewayContext>[];
  /** The per-address rule, for the HTTP layer to run before authentication; null with rate limiting off. */
  limitAddress: AddressLimit | null;
  /** Apollo Server's APQ option: its own in-memory cache, Redis, or off. */
  persistedQueries: PersistedQueryOptions | false;
  /** The Redis connection rate limits and APQ share; null without one. */
  redis: RedisClient | null;
  /** Closes the Redis connection, if there is one. */
  close(): Promise<void>;
}

/**
 * Builds what the config asks for of persisted documents and rate limiting, sharing one Redis
 * connection between them, connected before it returns (or given up on after a few seconds).
 * A manifest that cannot be read is a `ConfigError`.
 */
export async function createTrafficProtection(
  config: GatewayConfig,
  demandControl: DemandControl,
  logger: Logger,
): Promise<TrafficProtection> {
  const { rateLimit, persistedQueries, trustedDocuments, redis: redisConfig } = config;
  const wantsRedis = (rateLimit.enabled && rateLimit.store === 'redis') || (persistedQueries.enabled && persistedQueries.store === 'redis');
  // Loaded only when used: the Redis client is a sizeable part of the gateway's memory.
  const redisModule = wantsRedis && redisConfig.url ? await import('./createRedisClient.js') : null;
  let redis: RedisClient | null = null;
  try {
    if (redisModule && redisConfig.url) redis = redisModule.createRedisClient(redisConfig.url, logger.child({ component: 'redis' }));
  } catch (error) {
    // A Sentinel URL the schema's pattern let through but that does not parse.
    throw new ConfigError([(error as Error).message]);
  }

  // Requests that arrive before the connection would otherwise all take the onStoreError path.
  if (redis && redisModule) await redisModule.whenReady(redis, REDIS_STARTUP_WAIT_MS);

  const plugins: ApolloServerPlugin<GatewayContext>[] = [];
  if (trustedDocuments.mode !== 'off' && trustedDocuments.manifest) {
    let manifest;
    try {
      manifest = readManifest(trustedDocuments.manifest);
    } catch (error) {
      redis?.disconnect();
      throw new ConfigError([`trustedDocuments.manifest: ${(error as Error).message}`]);
    }
    plugins.push(createTrustedDocumentsPlugin({ mode: trustedDocuments.mode, manifest, logger }));
  }
  let limitAddress: AddressLimit | null = null;
  if (rateLimit.enabled) {
    const limiters = createLimiters(rateLimit, redis, redisConfig.keyPrefix);
    const addressOf = createAddressResolver(rateLimit.trustedProxies);
    limitAddress = createAddressLimit({ limiter: limiters.address, addressOf, onStoreError: rateLimit.onStoreError, logger });
    const apiKeys = createKnownApiKeys({
      keys: rateLimit.apiKeys,
      redis: rateLimit.store === 'redis' ? redis : null,
      keyPrefix: redisConfig.keyPrefix,
      logger,
    });
    plugins.push(
      createRateLimitPlugin({
        config: rateLimit,
        limiters: limiters.perClient,
        addressPolicy: limiters.address,
        clientOf: createClientResolver({ apiKeyHeader: rateLimit.apiKeyHeader, apiKeys, addressOf }),
        demandControl,
        maxCost: config.demandControl.maxCost,
        logger,
      }),
    );
  }

  return {
    plugins,
    limitAddress,
    redis,
    persistedQueries: !persistedQueries.enabled
      ? false
      : {
          ttl: persistedQueries.ttlSeconds,
          ...(persistedQueries.store === 'redis' && redis
            ? { cache: createRedisDocumentCache(redis, redisConfig.keyPrefix, logger) }
            : {}),
        },
    async close() {
      if (redis && redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
    },
  };
}
