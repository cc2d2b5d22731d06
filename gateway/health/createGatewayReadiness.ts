import type { Logger } from '../../common/createLogger.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { GatewaySupergraph } from '../supergraph/createGatewaySupergraph.js';
import type { RedisClient } from '../traffic/createRedisClient.js';
import { createReadiness, type Readiness } from './createReadiness.js';
import { createRedisProbe } from './createRedisProbe.js';
import { createSubgraphProbe } from './createSubgraphProbe.js';

/**
 * What `/ready` checks, as the config asks: the supergraph loaded and the gateway not draining;
 * with `server.readyChecksSubgraphs`, the subgraphs (all, or `any`) answering a probe; with
 * `server.readyChecksRedis`, Redis answering a PING.
 */
export function createGatewayReadiness(
  config: GatewayConfig,
  supergraph: Pick<GatewaySupergraph, 'status' | 'current'>,
  redis: RedisClient | null,
  logger: Logger,
): Readiness {
  // A probe answers in a moment or not at all: never let it hold /ready longer than a load
  // balancer's usual check timeout.
  const probeTimeoutMs = Math.min(2000, config.upstream.timeoutMs);
  return createReadiness({
    supergraph: supergraph.status,
    ...(config.server.readyChecksSubgraphs
      ? {
          probeSubgraphs: createSubgraphProbe(() => supergraph.current().subgraphs, {
            timeoutMs: probeTimeoutMs,
            signingSecret: config.subgraphSigning.secret,
          }),
        }
      : {}),
    ...(config.server.readyChecksSubgraphs === 'any' ? { subgraphsNeeded: 'any' as const } : {}),
    ...(config.server.readyChecksRedis && redis ? { probeRedis: createRedisProbe(redis, probeTimeoutMs) } : {}),
    // /ready is public: details (reloads, subgraph states, never a file or URL) in development only.
    showDetails: config.mode === 'development',
    logger,
  });
}
