import type { SubgraphObserver } from '../subgraphRequests/createSubgraphClient.js';
import type { GatewayMetrics } from './createGatewayMetrics.js';

/** Feeds one subgraph's attempts, retries, shared requests and breaker state to the metrics. */
export function createSubgraphObserver(metrics: GatewayMetrics, subgraph: string): SubgraphObserver {
  return {
    attempt: (durationMs, outcome) => {
      metrics.subgraphFetchDuration.observe({ subgraph }, durationMs / 1000);
      metrics.subgraphFetches.inc({ subgraph, outcome });
    },
    retry: () => metrics.subgraphRetries.inc({ subgraph }),
    deduplicated: () => metrics.subgraphDeduplicated.inc({ subgraph }),
    breakerState: (state) => metrics.setBreakerState(subgraph, state),
  };
}
