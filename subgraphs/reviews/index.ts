import { createRestClient } from '../kit/rest/createRestClient.js';
import { runSubgraph } from '../kit/runSubgraph.js';
import { createReviewsApi } from './reviewsApi.js';
import { createReviewsServer } from './server.js';

await runSubgraph({
  name: 'reviews',
  defaultPort: 4004,
  build(env, logger) {
    const reviews = createRestClient({
      backend: 'reviews',
      baseUrl: env.url('REVIEWS_SERVICE_URL', 'http://localhost:5002'),
      timeoutMs: env.int('REVIEWS_SERVICE_TIMEOUT_MS', 5000),
    });
    return {
      server: createReviewsServer({ reviewsApi: createReviewsApi(reviews), logger, shutdownGracePeriodMs: env.int('SHUTDOWN_GRACE_PERIOD_MS', 10_000, 0) }),
      closeClients: () => reviews.close(),
    };
  },
});
