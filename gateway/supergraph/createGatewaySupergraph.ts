import type { ApolloGateway } from '@apollo/gateway';
import type { Logger } from '../../common/createLogger.js';
import { acceptEnforcedSecurityLinks } from '../authorization/acceptEnforcedSecurityLinks.js';
import { ConfigError } from '../config/ConfigError.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { PlanCache } from '../execution/createPlanCache.js';
import type { PreparedPlan } from '../execution/preparePlan.js';
import { createApolloGateway } from './createApolloGateway.js';
import { createNameInterner } from './createNameInterner.js';
import { createServedSupergraph, type ServedSupergraph } from './createServedSupergraph.js';
import { createSupergraphManager, type SupergraphStatus } from './createSupergraphManager.js';
import { explainSupergraphError } from './explainSupergraphError.js';
import { fetchSupergraph } from './fetchSupergraph.js';
import { readSupergraph } from './readSupergraph.js';
import { buildSupergraphSnapshot, type SupergraphSnapshot } from './SupergraphSnapshot.js';

export interface GatewaySupergraphOptions {
  logger: Logger;
  /** An empty plan cache, for each load. */
  createPlanCache: () => PlanCache<PreparedPlan>;
  /** Told of each snapshot swapped in (the subgraph clients follow it; readiness). */
  onSwap: (snapshot: SupergraphSnapshot) => void;
  /** Told of each reload attempt, for the metrics. */
  onReload?: (outcome: 'success' | 'failure') => void;
}

export interface GatewaySupergraph extends ServedSupergraph {
  /** Apollo Gateway, loading through Portico's manager: for Apollo Server, which loads it at start. */
  gateway: ApolloGateway;
  /** What `/ready` shows about the supergraph. */
  status(): SupergraphStatus;
  /** Why Apollo Server could not start with the supergraph, as the `ConfigError` the start fails with. */
  loadError(error: unknown): ConfigError;
}

/**
 * The gateway's supergraph: read from `supergraph.path` or `supergraph.url` (a `ConfigError` when
 * it cannot be), handed to Apollo Gateway through Portico's supergraph manager (which reloads it),
 * and followed as one snapshot per load. Nothing is loaded until Apollo Server starts.
 */
export async function createGatewaySupergraph(config: GatewayConfig, options: GatewaySupergraphOptions): Promise<GatewaySupergraph> {
  const { url, path } = config.supergraph;
  const source = url ?? path;
  const key = url ? 'supergraph.url' : 'supergraph.path';
  // A download or a read is given what a subgraph call is given, and never less than a few seconds.
  const readTimeoutMs = Math.max(5000, config.upstream.timeoutMs);
  const read = () => (url ? fetchSupergraph(url, readTimeoutMs) : readSupergraph(path, readTimeoutMs));
  const initialSdl = await read().catch((error: unknown) => {
    throw new ConfigError([`${key}: ${(error as Error).message}`]);
  });
  const internNames = createNameInterner();
  const manager = createSupergraphManager({
    source,
    kind: url ? 'url' : 'file',
    read,
    initialSdl,
    watch: config.supergraph.watch,
    pollIntervalMs: config.supergraph.pollIntervalMs,
    logger: options.logger,
    // Portico's authorization accepts the security features it enforces (see acceptEnforcedSecurityLinks).
    prepare: (sdl) => acceptEnforcedSecurityLinks(internNames(sdl)),
    ...(options.onReload ? { onReload: options.onReload } : {}),
    confirm: () => served.confirm(),
  });
  const gateway = createApolloGateway(manager, options.logger.child({ component: 'apollo-gateway' }));
  const served = createServedSupergraph({
    gateway,
    build: (state, apiSchema) => buildSupergraphSnapshot({ served: state, apiSchema, config, planCache: options.createPlanCache() }),
    onSwap: options.onSwap,
  });
  return {
    gateway,
    current: served.current,
    of: served.of,
    confirm: served.confirm,
    status: manager.status,
    loadError: (error) =>
      error instanceof ConfigError ? error : new ConfigError([`${key}: the gateway cannot load ${source}: ${explainSupergraphError(error, source)}`]),
  };
}
