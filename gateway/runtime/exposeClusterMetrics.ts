import { AggregatorRegistry } from 'prom-client';
import type { ExposeMetrics } from '../metrics/MetricsExposition.js';
import { clusterMessage, isClusterMessage } from './clusterMessages.js';
import { metricsUnavailable } from './metricsUnavailable.js';

// Longer than prom-client's own wait for the workers (5 s), which answers first while the primary is alive.
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Has prom-client in this worker answer the primary's collections (`AggregatorRegistry`'s
 * constructor installs the listener). Called first thing in a worker, before it asks for its
 * config: until the gateway's registry exists, the worker answers with an empty one, which is
 * right for a worker that has served nothing.
 */
export function answerMetricsCollections(): void {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([]);
}

/**
 * `/metrics` in a cluster worker: the worker asks the primary, which collects every worker's
 * registry and sums them (prom-client's `AggregatorRegistry.clusterMetrics`), so that a counter
 * reads the same whichever worker answers the scrape.
 */
export const exposeClusterMetrics: ExposeMetrics = (registry) => {
  AggregatorRegistry.setRegistries([registry]);
  let nextId = 0;
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();

  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message, 'portico:metrics-result')) return;
    const answer = waiting.get(message.id);
    waiting.delete(message.id);
    if ('text' in message) answer?.resolve(message.text);
    else answer?.reject(metricsUnavailable(message.error));
  });

  return {
    contentType: registry.contentType,
    render: () =>
      new Promise<string>((resolve, reject) => {
        if (!process.connected || !process.send) {
          reject(metricsUnavailable('this worker has lost its cluster primary'));
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(metricsUnavailable(`the cluster primary did not answer within ${ANSWER_TIMEOUT_MS} ms`));
        }, ANSWER_TIMEOUT_MS);
        waiting.set(id, {
          resolve: (text) => (clearTimeout(timer), resolve(text)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        process.send(clusterMessage('portico:metrics-request', { id }));
      }),
  };
};
