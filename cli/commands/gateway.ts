import type { AddressInfo } from 'node:net';
import { Command, InvalidArgumentError } from 'commander';
import { announceListening, stopWithParent } from '../../common/announceListening.js';
import { createLogger } from '../../common/createLogger.js';
import { ConfigError } from '../../gateway/config/ConfigError.js';
import { loadGatewayConfig } from '../../gateway/config/loadGatewayConfig.js';
import { createGatewayServer, type GatewayServer } from '../../gateway/createGatewayServer.js';

interface GatewayOptions {
  supergraph?: string;
  config?: string;
  port?: string;
  host?: string;
  subgraphUrl?: Record<string, string>;
  watch?: boolean;
}

/**
 * `portico gateway`: the gateway alone, as deployed. Flags win over the config file. Exits 1
 * with the message (no stack) when the config is wrong; exits 0 after a graceful stop on
 * SIGTERM or SIGINT.
 */
export function gatewayCommand(): Command {
  return new Command('gateway')
    .description('Run the gateway alone, as deployed: one GraphQL endpoint in front of the subgraphs of a supergraph.')
    .option('--supergraph <file>', 'the composed supergraph (overrides supergraph.path; default schema/supergraph.graphql)')
    .option('--config <file>', 'a gateway config file, YAML or JSON (see "Gateway configuration" in the README)')
    .option('--port <port>', 'the port to listen on; 0 picks a free one (overrides server.port; default 4000)')
    .option('--host <host>', 'the interface to listen on (overrides server.host; default 0.0.0.0)')
    .option('--subgraph-url <name=url>', "send a subgraph's requests to this URL (overrides subgraphs.<name>.url; repeatable)", collectSubgraphUrl)
    .option('--watch', 'reload the supergraph when its file changes (development only; portico dev sets it)')
    .action(async (options: GatewayOptions) => {
      await runGateway(options);
    });
}

/** Loads the config, builds, listens, and stops on the termination signals. */
async function runGateway(options: GatewayOptions): Promise<void> {
  const logger = createLogger({ name: 'gateway' });
  let server: GatewayServer;
  let address: AddressInfo;
  try {
    const config = loadGatewayConfig({
      file: options.config,
      overrides: { supergraphPath: options.supergraph, port: options.port, host: options.host, subgraphUrls: options.subgraphUrl },
    });
    server = await createGatewayServer(config, { logger, watchSupergraph: options.watch ?? false });
    address = await server.listen();
    logger.info(`mode ${config.mode}; supergraph ${config.supergraph.path}`);
  } catch (error) {
    // Config and port problems are the operator's to fix: the message says how, a stack would
    // not. Anything else is a bug, and its stack is logged.
    if (error instanceof ConfigError || isListenError(error)) process.stderr.write(`portico gateway: ${error.message}\n`);
    else logger.error({ err: error }, 'the gateway could not start');
    process.exitCode = 1;
    return;
  }

  // Handlers first: whoever waits for the announcement may signal at once, and a signal that
  // arrives before a handler exists kills the process instead of draining it.
  // Ctrl-C under `portico dev` brings SIGINT from the terminal and SIGTERM from dev: only the
  // same signal twice (Ctrl-C pressed again) cuts the drain short.
  const received = new Set<NodeJS.Signals>();
  const stop = (signal: NodeJS.Signals) => {
    if (received.has(signal)) {
      logger.warn(`${signal} again: exiting without waiting for requests in flight`);
      process.exit(1);
    }
    received.add(signal);
    if (received.size > 1) return;
    logger.info(`${signal}: draining requests in flight, then stopping`);
    server.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'the gateway did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  stopWithParent(() => stop('SIGTERM'));

  for (const subgraph of server.subgraphs) logger.info(`subgraph ${subgraph.name} at ${subgraph.url}`);
  const base = `${server.tls ? 'https' : 'http'}://${displayHost(address)}:${address.port}`;
  logger.info(`GraphQL: ${base}/graphql`);
  logger.info(`health: ${base}/health  readiness: ${base}/ready`);
  announceListening('gateway', address.port);
}

/** `products=http://localhost:4002/graphql`, collected into `{ products: 'http://…' }`. */
function collectSubgraphUrl(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) {
    throw new InvalidArgumentError('expected NAME=URL, such as products=http://localhost:4002/graphql.');
  }
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** Where a person on this machine reaches the address: `localhost` for the wildcard addresses. */
function displayHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return 'localhost';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** EADDRINUSE, EACCES and friends: Node's messages name the address, which is what to fix. */
function isListenError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string' && (error as NodeJS.ErrnoException).syscall === 'listen';
}
