import type { ApolloServer } from '@apollo/server';
import type { Logger } from '../../common/createLogger.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import type { GatewayContext } from '../GatewayContext.js';
import type { GatewayMetrics } from '../metrics/createGatewayMetrics.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import { createWebSocketTransport, type WebSocketTransport, type WebSocketTransportOptions } from './createWebSocketTransport.js';
import { runSocketOperation } from './runSocketOperation.js';

export interface GatewayWebSocketDeps extends Pick<WebSocketTransportOptions, 'authenticator' | 'formatError' | 'cors' | 'clientAddressOf' | 'logger'> {
  apollo: ApolloServer<GatewayContext>;
  pipeline: Pipeline;
  metrics: GatewayMetrics | undefined;
  logger: Logger;
}

/**
 * GraphQL over WebSocket on `server.graphqlPath` as the gateway serves it (null when
 * `server.websocket.enabled` is off): each operation runs through the same pipeline and Apollo
 * Server as an HTTP request, each upgrade through the features' `arrive` hooks, and its
 * connections are counted on `/metrics`.
 */
export function createGatewayWebSocket(config: GatewayConfig, deps: GatewayWebSocketDeps): WebSocketTransport | null {
  if (!config.server.websocket.enabled) return null;
  const { apollo, pipeline, metrics, logger } = deps;
  return createWebSocketTransport({
    runOperation: (source, payload, signal) =>
      runSocketOperation(source, payload, signal, {
        apollo,
        pipeline,
        graphqlPath: config.server.graphqlPath,
        requestTimeoutMs: config.server.requestTimeoutMs,
        logger,
      }),
    arrive: pipeline.arrive,
    authenticator: deps.authenticator,
    graphqlPath: config.server.graphqlPath,
    settings: config.server.websocket,
    limits: config.limits,
    formatError: deps.formatError,
    cors: deps.cors,
    clientAddressOf: deps.clientAddressOf,
    logger,
    ...(metrics
      ? {
          observe: {
            state: (read) => metrics.observeStreamTransport('websocket', read),
            closed: (reason) => metrics.streamConnectionCloses.inc({ transport: 'websocket', reason }),
          },
        }
      : {}),
  });
}
