import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import type { ExposeMetrics } from '../../gateway/metrics/MetricsExposition.js';
import { clusterMessage, isClusterMessage } from './clusterMessages.js';

// Longer than the primary's own wait for the workers, which answers first while it is alive.
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * `/metrics` in a cluster worker: the worker asks the primary, which collects every listening
 * worker's registry and sums them (prom-client's `AggregatorRegistry.aggregate`), so that a
 * counter reads the same whichever worker answers the scrape. The worker also answers the
 * primary's collections with its own registry.
 */
export const exposeClusterMetrics: ExposeMetrics = (registry) => {
  let nextId = 0;
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();

  process.on('message', (message: unknown) => {
    if (isClusterMessage(message, 'portico:metrics-collect')) {
      void registry.getMetricsAsJSON().then((metrics) => {
        if (process.connected) process.send?.(clusterMessage('portico:metrics-snapshot', { id: message.id, metrics }));
      });
    } else if (isClusterMessage(message, 'portico:metrics-result')) {
      const answer = waiting.get(message.id);
      waiting.delete(message.id);
      if ('text' in message) answer?.resolve(message.text);
      else answer?.reject(unavailable(message.error));
    }
  });

  return {
    contentType: registry.contentType,
    render: () =>
      new Promise<string>((resolve, reject) => {
        if (!process.connected || !process.send) {
          reject(unavailable('this worker has lost its cluster primary'));
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(unavailable(`the cluster primary did not answer within ${ANSWER_TIMEOUT_MS} ms`));
        }, ANSWER_TIMEOUT_MS);
        waiting.set(id, {
          resolve: (text) => (clearTimeout(timer), resolve(text)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        process.send(clusterMessage('portico:metrics-request', { id }));
      }),
  };
};

/** A 503 rather than a partial sum: a counter that dips would read as a reset, a false spike in rate(). */
function unavailable(reason: string): HttpError {
  return new HttpError(ErrorCode.SERVICE_NOT_READY, `Metrics are unavailable: ${reason}`);
}
