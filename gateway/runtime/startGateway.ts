import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/createLogger.js';
import { ConfigError } from '../config/ConfigError.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { createGatewayServer, type GatewayServer, type GatewayServerDeps } from '../createGatewayServer.js';

export interface StartedGateway {
  server: GatewayServer;
  address: AddressInfo;
}

/**
 * Builds the gateway and listens, in a process of its own (a single gateway or a cluster worker).
 * The caller limits the heap's growth once it serves (`serving`).
 */
export async function startGateway(config: GatewayConfig, deps: GatewayServerDeps & { logger: Logger }): Promise<StartedGateway> {
  const server = await createGatewayServer(config, deps);
  try {
    return { server, address: await server.listen() };
  } catch (error) {
    // The port (or the metrics port) is taken: nothing that started may keep running.
    await server.stop();
    throw error;
  }
}

/**
 * Why the gateway could not start: config and port problems are the operator's to fix, so they
 * get the message (no stack) on stderr; anything else is a bug, and its stack is logged.
 */
export function reportStartFailure(error: unknown, logger: Logger): void {
  if (error instanceof ConfigError || isListenError(error)) process.stderr.write(`portico gateway: ${error.message}\n`);
  else if (isHostLookupError(error)) {
    process.stderr.write(
      `portico gateway: cannot listen on ${JSON.stringify(error.hostname)}: no such address or host name here (${error.code}); check server.host (--host) and metrics.host\n`,
    );
  } else logger.error({ err: error }, 'the gateway could not start');
}

/** EADDRINUSE, EACCES and friends: Node's messages name the address, which is what to fix. */
function isListenError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && (error as NodeJS.ErrnoException).syscall === 'listen';
}

/** A host to listen on that does not resolve (a typo in `server.host` or `metrics.host`). */
function isHostLookupError(error: unknown): error is NodeJS.ErrnoException & { hostname: string } {
  return error instanceof Error && (error as NodeJS.ErrnoException).syscall === 'getaddrinfo' && typeof (error as { hostname?: unknown }).hostname === 'string';
}
