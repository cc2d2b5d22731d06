import { announceListening } from '../../common/announceListening.js';
import type { Logger } from '../../common/createLogger.js';
import { runService } from '../../common/process/runService.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { logServing } from './logServing.js';
import { serving } from './serving.js';
import { reportStartFailure, startGateway } from './startGateway.js';

/**
 * `server.workers: 1`: the gateway in this process, no cluster. Exits 1 when it cannot start;
 * exits 0 after a graceful stop on SIGTERM or SIGINT. `onServing` is called once it serves.
 */
export async function runSingleGateway(config: GatewayConfig, logger: Logger, onServing?: () => void): Promise<void> {
  await runService({
    logger,
    reportStartFailure: (error) => reportStartFailure(error, logger),
    start: async () => {
      const { server, address } = await startGateway(config, { logger });
      return {
        stop: () => server.stop(),
        announce: () => {
          const metrics = server.metricsAddress();
          logServing(logger, config, { address, tls: server.tls, subgraphs: server.subgraphs, metrics });
          announceListening('gateway', address.port);
          // After the gateway's own: whoever waits for "the port" gets the public one.
          if (metrics) announceListening('gateway-metrics', metrics.port);
          serving(config, onServing, server.httpServer);
        },
      };
    },
  });
}
