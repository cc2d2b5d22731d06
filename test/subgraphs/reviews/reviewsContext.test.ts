import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { reviewsConcurrency, reviewsContext } from '../../../subgraphs/reviews/context.js';
import { createMemoryEventBus } from '../../../subgraphs/kit/events/createMemoryEventBus.js';
import type { ReviewRecord, ReviewsApi } from '../../../subgraphs/reviews/reviewsApi.js';

// A reviews service whose calls stay pending until released, counting how many are in flight.
function gatedReviewsApi() {
  let inFlight = 0;
  let peak = 0;
  let calls = 0;
  const gates: Array<() => void> = [];
  const call = async <T>(value: T): Promise<T> => {
    calls += 1;
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise<void>((resolve) => gates.push(resolve));
    inFlight -= 1;
    return value;
  };
  const review = (id: string): ReviewRecord => ({ id, body: 'fine', rating: 4, authorId: 'u1', productUpc: '1' });
  const api: ReviewsApi = {
    byId: (id) => call(review(id)),
    forProduct: (upc) => call([review(`p-${upc}`)]),
    forUser: (userId) => call([review(`u-${userId}`)]),
    create: () => Promise.reject(new Error('not used')),
  };
  const releaseAll = async (until: Promise<unknown>) => {
    let settled = false;
    void until.finally(() => (settled = true));
    while (!settled) {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { api, releaseAll, peak: () => peak, calls: () => calls, inFlight: () => inFlight };
}

describe('the reviews subgraph per request', () => {
  it(`has at most ${reviewsConcurrency} calls in flight to the reviews service, across its three loaders`, async () => {
    const service = gatedReviewsApi();
    const scope = { requestId: 'r1', signal: new AbortController().signal, viewer: null, logger: pino({ level: 'silent' }) };
    const context = reviewsContext(service.api, createMemoryEventBus<ReviewRecord>())(scope);
    const keys = Array.from({ length: 30 }, (_, index) => String(index));
    const all = Promise.all([context.review.loadMany(keys), context.productReviews.loadMany(keys), context.userReviews.loadMany(keys)]);
    await new Promise((resolve) => setImmediate(resolve));
    // Each loader alone would start 16: the cap is the service's, not each loader's.
    expect(service.inFlight()).toBe(reviewsConcurrency);
    await service.releaseAll(all);
    expect(service.calls()).toBe(90);
    expect(service.peak()).toBe(reviewsConcurrency);
  });
});
