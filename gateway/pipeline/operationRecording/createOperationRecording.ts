import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../../common/createLogger.js';
import type { OperationRecordingConfig } from '../../config/OperationRecordingConfig.js';
import type { RedisClient } from '../../traffic/createRedisClient.js';
import type { Feature } from '../Feature.js';
import { blankLiterals } from './blankLiterals.js';
import { boundClientText } from './boundClientText.js';
import { createMemoryOperationStore } from './createMemoryOperationStore.js';
import { createRedisOperationStore } from './createRedisOperationStore.js';
import type { OperationStore } from './RecordedOperation.js';

export interface OperationRecordingOptions {
  config: OperationRecordingConfig;
  /** The headers naming the client (`metrics.clientNameHeader`, `metrics.clientVersionHeader`), as metrics read them. */
  clientNameHeader: string;
  clientVersionHeader: string;
  /** The shared Redis connection, where `operationRecording.store` is `redis`. */
  redis: RedisClient | null;
  keyPrefix: string;
  logger: Logger;
}

export interface OperationRecording extends Feature {
  /** Where the operations are kept; null when recording is off. The internal listener serves it at `/operations`. */
  store: OperationStore | null;
}

/**
 * Records every operation the gateway executes (after every feature before it has let it
 * through), with its client, for `portico check` (which operations a schema change would break)
 * and `portico usage` (who still selects a deprecated field), its literals blanked
 * (`blankLiterals`). On the request path it only bounds a few strings and updates a map (and
 * prints a document the first time it sees it): the store writes to Redis in batches, later.
 */
export function createOperationRecording(options: OperationRecordingOptions): OperationRecording {
  const { config } = options;
  if (!config.enabled) return { name: 'operationRecording', store: null };
  const store =
    config.store === 'redis' && options.redis
      ? createRedisOperationStore({ redis: options.redis, keyPrefix: options.keyPrefix, ...config, logger: options.logger })
      : createMemoryOperationStore(config);
  // The recorded form of each document, by the hash of the text the client sent: a document run
  // again costs a lookup, not a walk and a print.
  const recordedDocuments = new LRUCache<string, { hash: string; document: string | null }>({ max: config.maxOperations });
  return {
    name: 'operationRecording',
    store,
    plugin: {
      async requestDidStart() {
        return {
          async executionDidStart({ request, document: parsed, queryHash, operationName }) {
            let blanked = recordedDocuments.get(queryHash);
            if (!blanked) {
              const text = blankLiterals(parsed);
              // A document longer than the cap is recorded by hash alone: its length was bounded by limits.maxDocumentBytes already.
              const kept = text.length <= config.maxDocumentBytes && Buffer.byteLength(text) <= config.maxDocumentBytes;
              blanked = { hash: createHash('sha256').update(text).digest('hex'), document: kept ? text : null };
              recordedDocuments.set(queryHash, blanked);
            }
            store.record({
              hash: blanked.hash,
              document: blanked.document,
              operationName: operationName === null ? null : boundClientText(operationName),
              clientName: boundClientText(request.http?.headers.get(options.clientNameHeader)),
              clientVersion: boundClientText(request.http?.headers.get(options.clientVersionHeader)),
              seenAt: Date.now(),
            });
          },
        };
      },
    },
    close: () => store.close(),
  };
}
