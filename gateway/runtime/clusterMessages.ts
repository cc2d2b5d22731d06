import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { SupergraphSubgraph } from '../supergraph/routeSubgraphs.js';

/**
 * What the cluster primary and its gateway workers tell each other over the IPC channel, besides
 * prom-client's own collection of each worker's registry (`AggregatorRegistry`). A worker asks
 * for its config (rather than being sent it at fork) so that nothing arrives before it listens
 * for messages; asking also tells the primary that prom-client in the worker answers collections.
 */
export interface ClusterMessages {
  /** Worker → primary: ready to receive its config, and to answer metrics collections. */
  'portico:config-request': Record<string, never>;
  /** Primary → worker: the config the primary validated, with the port to listen on. */
  'portico:config': { config: GatewayConfig };
  /** Worker → primary: built, listening, and handling the stop signals. */
  'portico:worker-listening': { address: AddressInfo; tls: boolean; subgraphs: SupergraphSubgraph[] };
  /** Primary → worker: stop as on SIGTERM (a message, so that a worker also signalled by a service manager does not see SIGTERM twice). */
  'portico:drain': Record<string, never>;
  /**
   * Worker → primary: the drain delay is over, take me out of the rotation (`worker.disconnect()`,
   * which then closes the worker's listener): see leaveClusterRotation.
   */
  'portico:stop-listening': Record<string, never>;
  /**
   * Worker → primary: a client asked this worker for `/metrics`. prom-client aggregates only in
   * the primary, on the primary's call: a worker has to ask for the sum.
   */
  'portico:metrics-request': { id: number };
  /** Primary → worker: every worker's metrics, summed, or why not. */
  'portico:metrics-result': { id: number; text: string } | { id: number; error: string };
}

/**
 * Set in each worker's environment by the primary (`cluster.fork`), so that `portico gateway`
 * knows it is a worker before loading `node:cluster`: a gateway without workers never loads it, nor
 * the `child_process` module it requires (about 8 ms of a start).
 */
export const GATEWAY_WORKER_ENV = 'PORTICO_GATEWAY_WORKER';

export type ClusterMessageType = keyof ClusterMessages;
export type ClusterMessage<T extends ClusterMessageType> = { type: T } & ClusterMessages[T];

/** Whether an IPC message is one of ours, of this type. */
export function isClusterMessage<T extends ClusterMessageType>(value: unknown, type: T): value is ClusterMessage<T> {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}

/** Builds a message, typed by its `type`. */
export function clusterMessage<T extends ClusterMessageType>(type: T, body: ClusterMessages[T]): ClusterMessage<T> {
  return { type, ...body } as ClusterMessage<T>;
}
