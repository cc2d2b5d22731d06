import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/createLogger.js';
import { ConfigError } from '../../gateway/config/ConfigError.js';
import type { GatewayConfig } from '../../gateway/config/GatewayConfig.js';
import { createGatewayServer, type GatewayServer, type GatewayServerDeps } from '../../gateway/createGatewayServer.js';
import { limitHeapGrowth } from './limitHeapGrowth.js';

export interface StartedGateway {
  server: GatewayServer;
  address: AddressInfo;
  /** The graceful stop, logged; resolves with the exit code (1 when it did not stop cleanly). */
  stop(): Promise<number>;
}

/**
 * Builds the gateway and listens. On failure, says why and resolves with nothing: config and
 * port problems are the operator's to fix, so they get the message (no stack) on stderr;
 * anything else is a bug, and its stack is logged.
 */
export async function startGateway(config: GatewayConfig, deps: GatewayServerDeps & { logger: Logger }): Promise<StartedGateway | undefined> {
  const { logger } = deps;
  limitHeapGrowth(config.server.heapGrowthPercent);
  try {
    const server = await createGatewayServer(config, deps);
    const address = await server.listen();
    const stop = () =>
      server.stop().then(
        () => {
          logger.info('stopped');
          return 0;
        },
        (error: unknown) => {
          logger.error({ err: error }, 'the gateway did not stop cleanly');
          return 1;
        },
      );
    return { server, address, stop };
  } catch (error) {
    reportStartFailure(error, logger);
    return undefined;
  }
}

/** The message for the operator, or the stack for a bug. */
export function reportStartFailure(error: unknown, logger: Logger): void {
  if (error instanceof ConfigError || isListenError(error)) process.stderr.write(`portico gateway: ${error.message}\n`);
  else logger.error({ err: error }, 'the gateway could not start');
}

/** EADDRINUSE, EACCES and friends: Node's messages name the address, which is what to fix. */
function isListenError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && (error as NodeJS.ErrnoException).syscall === 'listen';
}
