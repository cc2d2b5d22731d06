import cluster from 'node:cluster';
import { createLogger } from '../../common/createLogger.js';
import { runService } from '../../common/process/runService.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { clusterMessage, GATEWAY_WORKER_ENV, isClusterMessage } from './clusterMessages.js';
import { answerMetricsCollections, exposeClusterMetrics } from './exposeClusterMetrics.js';
import { leaveClusterRotation } from './leaveClusterRotation.js';
import { serving } from './serving.js';
import { reportStartFailure, startGateway } from './startGateway.js';

/**
 * One gateway worker of `portico gateway --workers N`: builds the gateway from the config the
 * primary validated (not from the file again, which may have changed since), listens on the port
 * the workers share, and drains when the primary asks, or on SIGTERM or SIGINT. Exits 1 when it
 * cannot start, which the primary sees. If the primary goes away, Node's cluster ends the worker
 * at once. `onServing` is called once it listens.
 */
export async function runGatewayWorker(onServing?: () => void): Promise<void> {
  if (!cluster.isWorker) throw new Error(`${GATEWAY_WORKER_ENV} is set, but this process is not a worker of \`portico gateway --workers N\`: unset it`);
  const logger = createLogger({ name: `gateway/${cluster.worker?.id ?? '?'}` });
  answerMetricsCollections();
  const config = await receiveConfig();
  const running = await runService({
    logger,
    reportStartFailure: (error) => reportStartFailure(error, logger),
    start: async () => {
      // The primary serves the internal metrics listener, summing every worker's metrics.
      const { server, address } = await startGateway(config, {
        logger,
        exposeMetrics: exposeClusterMetrics,
        metricsListener: false,
        stopListening: leaveClusterRotation,
      });
      return {
        stop: () => server.stop(),
        announce: () => {
          process.send?.(clusterMessage('portico:worker-listening', { address, tls: server.tls, subgraphs: [...server.subgraphs] }));
          serving(config, onServing, server.httpServer);
        },
      };
    },
  });
  process.on('message', (message: unknown) => {
    if (isClusterMessage(message, 'portico:drain')) running?.stopFor('asked by the cluster primary');
  });
}

/** Asks the primary for the config, once this process listens for the answer. */
function receiveConfig(): Promise<GatewayConfig> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isClusterMessage(message, 'portico:config')) return;
      process.off('message', onMessage);
      resolve(message.config);
    };
    process.on('message', onMessage);
    if (!process.send) reject(new Error('a gateway worker needs the IPC channel of its cluster primary'));
    else process.send(clusterMessage('portico:config-request', {}));
  });
}
