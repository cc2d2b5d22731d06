import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeSupergraph } from '../../gateway/fixtures/writeSupergraph.js';
import { startProductsSubgraph, startReviewsSubgraph, type ReviewsSubgraph } from '../../gateway/subscriptions/startEventSubgraphs.js';
import { startTarget, type Target } from './startTarget.js';

export interface EventTarget {
  target: Target;
  /** The reviews subgraph: `reviewAdded` events are published here. */
  reviews: ReviewsSubgraph;
  products: Awaited<ReturnType<typeof startProductsSubgraph>>;
  /** Stops the gateway process, then both subgraphs. */
  close(): Promise<void>;
}

/**
 * A production gateway process in front of two in-process subgraphs with a Subscription field
 * (`reviewAdded`, with `product` from the other), for the hostile files about subscriptions.
 * `config` is added to the gateway's (`server` merged, `readyChecksSubgraphs` off).
 */
export async function startEventTarget(name: string, config: { server?: Record<string, unknown> } & Record<string, unknown> = {}): Promise<EventTarget> {
  const reviews = await startReviewsSubgraph();
  const products = await startProductsSubgraph();
  const supergraph = writeSupergraph(mkdtempSync(path.join(tmpdir(), `portico-hostile-${name}-`)), [reviews, products]);
  const { server, ...rest } = config;
  const target = await startTarget({
    mode: 'production',
    config: {
      ...rest,
      supergraph: { path: supergraph },
      subgraphs: { reviews: { url: reviews.url }, products: { url: products.url } },
      server: { readyChecksSubgraphs: false, ...server },
    },
  });
  return {
    target,
    reviews,
    products,
    async close() {
      await target.close();
      await reviews.stop();
      await products.stop();
    },
  };
}
