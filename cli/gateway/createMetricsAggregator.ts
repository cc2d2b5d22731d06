import type { Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { clusterMessage, type ClusterMessage, type MetricsSnapshot } from './clusterMessages.js';

export interface MetricsAggregator {
  /** Asks each worker for its metrics and resolves with their aggregate, as Prometheus text. */
  collect(workers: readonly Worker[]): Promise<string>;
  /** A worker's answer to a collection. */
  receive(workerId: number, message: ClusterMessage<'portico:metrics-snapshot'>): void;
  /** A worker is gone: collections still waiting for it fail rather than wait. */
  workerExited(workerId: number): void;
}

interface Collection {
  waitingFor: Set<number>;
  snapshots: MetricsSnapshot[];
  resolve(text: string): void;
  reject(error: Error): void;
}

/**
 * The cluster primary's side of `/metrics`. A collection is all or nothing: a sum missing one
 * worker would make counters dip and come back, which Prometheus reads as resets.
 */
export function createMetricsAggregator(timeoutMs = 5000): MetricsAggregator {
  let nextId = 0;
  const collections = new Map<number, Collection>();

  const settle = (id: number, outcome: { text: string } | { error: Error }) => {
    const collection = collections.get(id);
    if (!collection) return;
    collections.delete(id);
    if ('text' in outcome) collection.resolve(outcome.text);
    else collection.reject(outcome.error);
  };

  return {
    collect: (workers) =>
      new Promise<string>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => settle(id, { error: new Error(`a worker did not send its metrics within ${timeoutMs} ms`) }), timeoutMs);
        collections.set(id, {
          waitingFor: new Set(workers.map((worker) => worker.id)),
          snapshots: [],
          resolve: (text) => (clearTimeout(timer), resolve(text)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        for (const worker of workers) worker.send(clusterMessage('portico:metrics-collect', { id }));
        if (workers.length === 0) settle(id, { text: '' });
      }),
    receive: (workerId, { id, metrics }) => {
      const collection = collections.get(id);
      if (!collection?.waitingFor.delete(workerId)) return;
      collection.snapshots.push(metrics);
      if (collection.waitingFor.size > 0) return;
      Promise.resolve()
        .then(() => AggregatorRegistry.aggregate(collection.snapshots).metrics())
        .then(
          (text) => settle(id, { text }),
          (error: unknown) => settle(id, { error: error instanceof Error ? error : new Error(String(error)) }),
        );
    },
    workerExited: (workerId) => {
      for (const [id, collection] of collections) {
        if (collection.waitingFor.has(workerId)) settle(id, { error: new Error(`worker ${workerId} exited during the collection`) });
      }
    },
  };
}
