import { announceListening } from '../../common/announceListening.js';
import type { Logger } from '../../common/createLogger.js';
import type { GatewayConfig } from '../../gateway/config/GatewayConfig.js';
import { handleStopSignals } from './handleStopSignals.js';
import { logServing } from './logServing.js';
import { startGateway } from './startGateway.js';

/**
 * `server.workers: 1`: the gateway in this process, no cluster. Exits 1 when it cannot start;
 * exits 0 after a graceful stop on SIGTERM or SIGINT.
 */
export async function runSingleGateway(config: GatewayConfig, logger: Logger): Promise<void> {
  const started = await startGateway(config, { logger });
  if (!started) {
    process.exitCode = 1;
    return;
  }
  handleStopSignals({ logger, drain: started.stop });
  const metrics = started.server.metricsAddress();
  logServing(logger, config, { address: started.address, tls: started.server.tls, subgraphs: started.server.subgraphs, metrics });
  announceListening('gateway', started.address.port);
  // After the gateway's own: whoever waits for "the port" gets the public one.
  if (metrics) announceListening('gateway-metrics', metrics.port);
}
