import { createRestClient, defaultMaxResponseBytes } from '../kit/rest/createRestClient.js';
import { runSubgraph } from '../kit/runSubgraph.js';
import { createReviewEvents } from './reviewEvents.js';
import { createReviewsApi } from './reviewsApi.js';
import { createReviewsServer } from './server.js';

await runSubgraph({
  name: 'reviews',
  defaultPort: 4004,
  build(env, runtime) {
    const reviews = createRestClient({
      backend: 'reviews',
      baseUrl: env.url('REVIEWS_SERVICE_URL', 'http://localhost:5002'),
      timeoutMs: env.int('REVIEWS_SERVICE_TIMEOUT_MS', 5000),
      maxResponseBytes: env.int('REVIEWS_SERVICE_MAX_RESPONSE_BYTES', defaultMaxResponseBytes),
    });
    // With Redis, a review written through one replica reaches the subscribers of every replica.
    const redisUrl = process.env.REDIS_URL ? env.url('REDIS_URL', 'redis://localhost:6379', ['redis:', 'rediss:']) : undefined;
    const reviewEvents = createReviewEvents({ logger: runtime.logger, ...(redisUrl ? { redisUrl } : {}) });
    return {
      server: createReviewsServer({ reviewsApi: createReviewsApi(reviews), reviewEvents, ...runtime }),
      closeClients: async () => {
        await reviews.close();
        await reviewEvents.close();
      },
    };
  },
});
