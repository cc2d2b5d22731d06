import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../../common/createLogger.js';
import { createStockApi } from '../../../subgraphs/inventory/stockApi.js';
import { createInventoryServer } from '../../../subgraphs/inventory/server.js';
import type { StreamingLimits, SubgraphRuntime, SubgraphServer } from '../../../subgraphs/kit/createSubgraphServer.js';
import type { EventBus } from '../../../subgraphs/kit/events/EventBus.js';
import { createMemoryEventBus } from '../../../subgraphs/kit/events/createMemoryEventBus.js';
import { createRestClient } from '../../../subgraphs/kit/rest/createRestClient.js';
import type { ReviewRecord } from '../../../subgraphs/reviews/reviewsApi.js';
import { createReviewsApi } from '../../../subgraphs/reviews/reviewsApi.js';
import { createReviewsServer } from '../../../subgraphs/reviews/server.js';
import type { DemoBackends } from '../../support/startDemoBackends.js';
import { testSigningSecret } from '../../support/startSubgraphs.js';

/** An event bus that counts its subscribers, so a test knows when a subscription is in place. */
export interface ObservedBus<T> {
  bus: EventBus<T>;
  /** Subscriptions made so far (ended ones included). */
  subscriptions(): number;
  /** Resolves once `count` subscriptions have been made. */
  waitForSubscriptions(count: number): Promise<void>;
}

export function observeBus<T>(bus: EventBus<T>): ObservedBus<T> {
  let made = 0;
  return {
    bus: {
      publish: (event) => bus.publish(event),
      subscribe: (options) => {
        made += 1;
        return bus.subscribe(options);
      },
      close: () => bus.close(),
    },
    subscriptions: () => made,
    async waitForSubscriptions(count) {
      while (made < count) await sleep(5);
    },
  };
}

export interface RunningEventSubgraph {
  url: string;
  server: SubgraphServer;
  close(): Promise<void>;
}

/** One subgraph server on port 0, as the entries build them, signed as in production. */
export async function listen(server: SubgraphServer): Promise<RunningEventSubgraph> {
  await server.start();
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/graphql`;
  let closed = false;
  return {
    url,
    server,
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
    },
  };
}

export function testRuntime(options: { requireSignature?: boolean; streaming?: StreamingLimits; shutdownGracePeriodMs?: number } = {}): SubgraphRuntime {
  return {
    logger: createLogger({ name: 'test-events', level: process.env.LOG_LEVEL ?? 'silent' }),
    development: false,
    signing: { secret: testSigningSecret, requireSignature: options.requireSignature ?? true, maxAgeMs: 60_000 },
    shutdownGracePeriodMs: options.shutdownGracePeriodMs ?? 5_000,
    ...(options.streaming ? { streaming: options.streaming } : {}),
  };
}

/** A reviews subgraph on the given backends, with an observed bus (in memory unless given). */
export async function startReviews(
  backends: DemoBackends,
  options: { bus?: EventBus<ReviewRecord>; requireSignature?: boolean; streaming?: StreamingLimits } = {},
): Promise<RunningEventSubgraph & { events: ObservedBus<ReviewRecord> }> {
  const rest = createRestClient({ backend: 'reviews', baseUrl: backends.reviewsUrl, timeoutMs: 2000 });
  const events = observeBus(options.bus ?? createMemoryEventBus<ReviewRecord>());
  const running = await listen(createReviewsServer({ reviewsApi: createReviewsApi(rest), reviewEvents: events.bus, ...testRuntime(options) }));
  return {
    ...running,
    events,
    async close() {
      await running.close();
      await events.bus.close();
      await rest.close();
    },
  };
}

/** An inventory subgraph on the given backends. */
export async function startInventory(backends: DemoBackends, options: { streaming?: StreamingLimits } = {}): Promise<RunningEventSubgraph> {
  const stockApi = createStockApi(backends.inventoryAddress, 2000);
  const running = await listen(createInventoryServer({ stockApi, ...testRuntime(options) }));
  return {
    ...running,
    async close() {
      await running.close();
      stockApi.close();
    },
  };
}
