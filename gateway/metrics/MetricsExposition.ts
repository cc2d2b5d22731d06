import type { Registry } from 'prom-client';

/** What `/metrics` answers with. */
export interface MetricsExposition {
  contentType: string;
  render(): Promise<string>;
}

/**
 * Chooses what `/metrics` serves given the gateway's own registry: by default that registry;
 * a cluster worker serves every worker's metrics, aggregated (`gateway/runtime/exposeClusterMetrics.ts`).
 */
export type ExposeMetrics = (registry: Registry) => MetricsExposition;

/** This process's registry, as it is. */
export const exposeOwnMetrics: ExposeMetrics = (registry) => ({
  contentType: registry.contentType,
  render: () => registry.metrics(),
});
