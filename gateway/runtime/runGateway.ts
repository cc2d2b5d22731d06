import { createLogger } from '../../common/createLogger.js';
import { ConfigError } from '../config/ConfigError.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { loadGatewayConfig, type LoadGatewayConfigOptions } from '../config/loadGatewayConfig.js';
import { GATEWAY_WORKER_ENV } from './clusterMessages.js';
import { runSingleGateway } from './runSingleGateway.js';

export interface RunGatewayOptions extends Pick<LoadGatewayConfigOptions, 'file' | 'overrides'> {
  /**
   * Called once the gateway serves and has answered its first GraphQL request (`serving`), in the
   * process that serves (this one, or each worker): the built entry writes the bundle's code cache
   * then (loadCachedBundle.ts).
   */
  onServing?: () => void;
}

/**
 * The gateway as a process (`portico gateway`): loads and checks the config (file and flags),
 * then runs it in this process (`server.workers: 1`) or as a cluster primary whose workers each
 * run this again and become workers. Exits 1 with the message (no stack) when the config is
 * wrong; exits 0 after a graceful stop on SIGTERM or SIGINT.
 */
export async function runGateway(options: RunGatewayOptions): Promise<void> {
  // The cluster's modules are loaded only where there are workers (see GATEWAY_WORKER_ENV).
  if (process.env[GATEWAY_WORKER_ENV] === '1') {
    const { runGatewayWorker } = await import('./runGatewayWorker.js');
    await runGatewayWorker(options.onServing);
    return;
  }
  const logger = createLogger({ name: 'gateway' });
  const config = loadConfig(options);
  if (!config) process.exitCode = 1;
  else if (config.server.workers === 1) await runSingleGateway(config, logger, options.onServing);
  else (await import('./runGatewayPrimary.js')).runGatewayPrimary(config, logger);
}

/** The config from the file and flags; a wrong one is reported on stderr, without a stack. */
function loadConfig(options: Pick<LoadGatewayConfigOptions, 'file' | 'overrides'>): GatewayConfig | undefined {
  try {
    return loadGatewayConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`portico gateway: ${error.message}\n`);
    return undefined;
  }
}
