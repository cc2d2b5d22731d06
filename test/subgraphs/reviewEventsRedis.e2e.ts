import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/createLogger.js';
import { createRedisReviewEvents } from '../../subgraphs/reviews/reviewEvents.js';
import { startDemoBackends, type DemoBackends } from '../support/startDemoBackends.js';
import { startRedis, type RunningRedis } from '../support/startRedis.js';
import { postSigned } from '../support/startStack.js';
import { startReviews } from './support/startEventSubgraphs.js';
import { subscribeSse, subscribeWs, wsClient } from './support/subscriptionClients.js';

// Two replicas of the reviews subgraph sharing one real Redis: a review written through one
// reaches the subscribers of the other.
let redis: RunningRedis;
let backends: DemoBackends;
let first: Awaited<ReturnType<typeof startReviews>>;
let second: Awaited<ReturnType<typeof startReviews>>;
let publisher: Redis;
// The test's own channel, so that nothing else on this Redis can reach these subscribers.
const channel = `portico:events:reviews:reviewAdded:test-${process.pid}`;
const logger = createLogger({ name: 'test-redis-events', level: process.env.LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  redis = await startRedis();
  backends = await startDemoBackends();
  const busOf = async () => {
    const bus = createRedisReviewEvents({ redisUrl: redis.url, logger, channel });
    await bus.subscribed;
    return bus;
  };
  first = await startReviews(backends, { bus: await busOf() });
  second = await startReviews(backends, { bus: await busOf() });
  publisher = new Redis(redis.url);
});
afterAll(async () => {
  publisher?.disconnect();
  await first?.close();
  await second?.close();
  await backends?.close();
  await redis?.stop();
});

const reviewAdded = 'subscription($upc: String) { reviewAdded(productUpc: $upc) { id body author { id } product { upc } } }';
const createReview = 'mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }';

describe('reviewAdded through Redis', () => {
  it('delivers a review written through one replica to a subscriber of the other', async () => {
    const before = second.events.subscriptions();
    const events = await subscribeSse(second.url, reviewAdded, { upc: '8' }, { audience: 'reviews' });
    await second.events.waitForSubscriptions(before + 1);
    const reply = await postSigned(
      first.url,
      createReview,
      { input: { productUpc: '8', body: 'through Redis', rating: 5 } },
      { audience: 'reviews', identity: { sub: '3' } },
    );
    const id = (reply.data!.createReview as { id: string }).id;
    expect(await events.next()).toEqual({ data: { reviewAdded: { id, body: 'through Redis', author: { id: '3' }, product: { upc: '8' } } } });
    events.close();
  });

  it('skips a malformed message on the channel, logs it, and delivers the next event', async () => {
    const client = wsClient(second.url, { audience: 'reviews' });
    const before = second.events.subscriptions();
    const events = subscribeWs(client, reviewAdded, { upc: '9' });
    await second.events.waitForSubscriptions(before + 1);
    for (const garbage of [
      'not json',
      '{"id": 1}',
      'null',
      '[]',
      JSON.stringify({ id: 'x', body: 'b', rating: 'five', authorId: '1', productUpc: '9' }),
      'x'.repeat(70_000),
    ]) {
      await publisher.publish(channel, garbage);
    }
    await publisher.publish(channel, JSON.stringify({ id: 'r-1', body: 'valid', rating: 2, authorId: '4', productUpc: '9', extra: 'dropped' }));
    expect(await events.next()).toEqual({ data: { reviewAdded: { id: 'r-1', body: 'valid', author: { id: '4' }, product: { upc: '9' } } } });
    events.close();
    await client.dispose();
  });
});
