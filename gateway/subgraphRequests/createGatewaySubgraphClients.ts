import type { Logger } from '../../common/createLogger.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { GatewayMetrics } from '../metrics/createGatewayMetrics.js';
import { createSubgraphObserver } from '../metrics/createSubgraphObserver.js';
import type { HeaderPropagation } from './createHeaderPropagation.js';
import { createSubgraphClient } from './createSubgraphClient.js';
import { createSubgraphClients, type SubgraphClients } from './createSubgraphClients.js';

/**
 * One upstream client per subgraph of the supergraph served, each with its own settings
 * (`subgraphs.<name>`, else `upstream`), the gateway's signing secret, header rules and
 * forwarded claims, and its metrics.
 */
export function createGatewaySubgraphClients(
  config: GatewayConfig,
  propagateHeaders: HeaderPropagation,
  logger: Logger,
  metrics: GatewayMetrics | undefined,
): SubgraphClients {
  return createSubgraphClients(({ name, url }) =>
    createSubgraphClient({
      name,
      url,
      // A subgraph without settings of its own has upstream's (the config gives each configured one all of them).
      settings: (Object.hasOwn(config.subgraphs, name) ? config.subgraphs[name] : undefined) ?? config.upstream,
      maxConnections: config.upstream.maxConnectionsPerSubgraph,
      signingSecret: config.subgraphSigning.secret,
      propagateHeaders: (incoming) => propagateHeaders(name, incoming),
      forwardClaims: config.authentication.forwardClaims,
      forwardToken: config.authentication.forwardToken,
      logger,
      ...(metrics ? { observer: createSubgraphObserver(metrics, name) } : {}),
    }),
  );
}
