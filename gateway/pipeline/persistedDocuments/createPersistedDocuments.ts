import type { PersistedQueryOptions } from '@apollo/server';
import type { RedisClient } from '../../traffic/createRedisClient.js';
import type { Logger } from '../../../common/createLogger.js';
import { ConfigError } from '../../config/ConfigError.js';
import type { LimitsConfig, PersistedQueriesConfig, TrustedDocumentsConfig } from '../../config/TrafficConfig.js';
import { createMemoryDocumentCache } from '../../traffic/createMemoryDocumentCache.js';
import { createRedisDocumentCache } from '../../traffic/createRedisDocumentCache.js';
import { createVerifiedDocumentCache } from '../../traffic/createVerifiedDocumentCache.js';
import { readManifest } from '../../traffic/readManifest.js';
import type { Feature } from '../Feature.js';
import { createTrustedDocumentsPlugin } from './createTrustedDocumentsPlugin.js';

export interface PersistedDocumentsOptions {
  persistedQueries: PersistedQueriesConfig;
  trustedDocuments: TrustedDocumentsConfig;
  /** The document limits, which a document read back by its APQ hash must be within too. */
  limits: LimitsConfig;
  /** The shared Redis connection, where `persistedQueries.store` is `redis`. */
  redis: RedisClient | null;
  keyPrefix: string;
  logger: Logger;
}

export interface PersistedDocuments extends Feature {
  /** Apollo Server's APQ option: a store in memory or in Redis, checked as it is read (createVerifiedDocumentCache), or off. Apollo Server runs APQ itself. */
  persistedQueries: PersistedQueryOptions | false;
}

/**
 * Documents a client names by hash: automatic persisted queries (APQ, registered by clients,
 * in memory or in Redis so that every replica finds them) and the operator's trusted document
 * manifest (see `createTrustedDocumentsPlugin`). A manifest that cannot be read is a `ConfigError`.
 */
export function createPersistedDocuments(options: PersistedDocumentsOptions): PersistedDocuments {
  const { persistedQueries, trustedDocuments, redis, keyPrefix, logger } = options;
  const store = persistedQueries.store === 'redis' && redis ? createRedisDocumentCache(redis, keyPrefix, logger) : createMemoryDocumentCache();
  const apq: PersistedQueryOptions | false = !persistedQueries.enabled
    ? false
    : { ttl: persistedQueries.ttlSeconds, cache: createVerifiedDocumentCache(store, options.limits, logger) };
  if (trustedDocuments.mode === 'off' || !trustedDocuments.manifest) return { name: 'persistedDocuments', persistedQueries: apq };
  let manifest: ReturnType<typeof readManifest>;
  try {
    manifest = readManifest(trustedDocuments.manifest);
  } catch (error) {
    throw new ConfigError([`trustedDocuments.manifest: ${(error as Error).message}`]);
  }
  return { name: 'persistedDocuments', persistedQueries: apq, plugin: createTrustedDocumentsPlugin({ mode: trustedDocuments.mode, manifest, logger }) };
}
