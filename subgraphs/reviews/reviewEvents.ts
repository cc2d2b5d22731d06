import type { Logger } from '../../common/createLogger.js';
import type { EventBus } from '../kit/events/EventBus.js';
import { createMemoryEventBus } from '../kit/events/createMemoryEventBus.js';
import { createRedisEventBus, type RedisEventBus } from '../kit/events/createRedisEventBus.js';
import type { ReviewRecord } from './reviewsApi.js';

/** The Redis channel every reviews replica publishes accepted reviews on. */
export const reviewAddedChannel = 'portico:events:reviews:reviewAdded';

/** Reviews as `createReview` accepted them, for `Subscription.reviewAdded`. */
export type ReviewEvents = EventBus<ReviewRecord>;

/** In this process, or shared by every replica through Redis when `redisUrl` is given. */
export function createReviewEvents(options: { redisUrl?: string; logger: Logger; channel?: string }): ReviewEvents {
  if (options.redisUrl === undefined) return createMemoryEventBus<ReviewRecord>();
  return createRedisReviewEvents({ ...options, redisUrl: options.redisUrl });
}

/** Shared by every replica through Redis; `subscribed` settles once the channel is subscribed. */
export function createRedisReviewEvents(options: { redisUrl: string; logger: Logger; channel?: string }): RedisEventBus<ReviewRecord> {
  return createRedisEventBus<ReviewRecord>({
    url: options.redisUrl,
    channel: options.channel ?? reviewAddedChannel,
    parse: parseReviewRecord,
    logger: options.logger,
  });
}

/** A review record from a message, or undefined when the message is not exactly one. */
export function parseReviewRecord(value: unknown): ReviewRecord | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const { id, body, rating, authorId, productUpc } = record;
  if (typeof id !== 'string' || typeof body !== 'string' || typeof authorId !== 'string' || typeof productUpc !== 'string') return undefined;
  if (typeof rating !== 'number' || !Number.isInteger(rating)) return undefined;
  // Only the fields a review has: nothing else from the message reaches a resolver.
  return { id, body, rating, authorId, productUpc };
}
