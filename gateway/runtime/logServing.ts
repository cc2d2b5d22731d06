import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/createLogger.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { SupergraphSubgraph } from '../supergraph/routeSubgraphs.js';

export interface Serving {
  address: AddressInfo;
  /** The internal metrics listener's address, when there is one. */
  metrics?: AddressInfo | null;
  tls: boolean;
  subgraphs: readonly SupergraphSubgraph[];
}

/** The start-up lines: mode and supergraph, where each subgraph is called, the gateway's URLs. */
export function logServing(logger: Logger, config: GatewayConfig, { address, tls, subgraphs, metrics }: Serving): void {
  logger.info(`mode ${config.mode}; supergraph ${config.supergraph.url ?? config.supergraph.path}`);
  for (const subgraph of subgraphs) logger.info(`subgraph ${subgraph.name} at ${subgraph.url}`);
  const base = `${tls ? 'https' : 'http'}://${displayHost(address)}:${address.port}`;
  logger.info(`GraphQL: ${base}/graphql`);
  logger.info(`health: ${base}/health  readiness: ${base}/ready`);
  if (metrics) logger.info(`metrics: http://${displayHost(metrics)}:${metrics.port}/metrics (internal listener)`);
  else if (config.metrics.enabled) logger.info(`metrics: ${base}/metrics`);
}

/** Where a person on this machine reaches the address: `localhost` for the wildcard addresses. */
function displayHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return 'localhost';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
