import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { createLogger, type Logger } from '../common/createLogger.js';
import type { GatewayConfig } from './config/GatewayConfig.js';
import { createFormatError } from './errors/createFormatError.js';
import type { GatewayContext } from './GatewayContext.js';
import { loadPolicyModule } from './authorization/loadPolicyModule.js';
import { createHeaderPropagation } from './subgraphRequests/createHeaderPropagation.js';
import { createGatewaySubgraphClients } from './subgraphRequests/createGatewaySubgraphClients.js';
import { createPlanExecutor } from './execution/createPlanExecutor.js';
import { trace } from '@opentelemetry/api';
import { createCors } from './http/createCors.js';
import { createNodeServer } from './http/createNodeServer.js';
import { createRequestHandler } from './http/createRequestHandler.js';
import { listen } from './http/listen.js';
import { typenameAliasRule } from './operation/typenameAliasRule.js';
import { createFeatures } from './pipeline/createFeatures.js';
import { createPipeline, type Pipeline } from './pipeline/createPipeline.js';
import { createPipelineGateway } from './pipeline/createPipelineGateway.js';
import type { OperationStore } from './pipeline/operationRecording/RecordedOperation.js';
import type { HttpDrainOptions } from '../common/http/createHttpDrain.js';
import { createHttpDrain } from './health/createHttpDrain.js';
import { createGatewayReadiness } from './health/createGatewayReadiness.js';
import { createGatewayMetrics } from './metrics/createGatewayMetrics.js';
import { createMetricsListener } from './metrics/createMetricsListener.js';
import { createPlanCache } from './execution/createPlanCache.js';
import { exposeOwnMetrics, type ExposeMetrics } from './metrics/MetricsExposition.js';
import { createAddressResolver } from './traffic/createAddressResolver.js';
import { createGatewaySupergraph } from './supergraph/createGatewaySupergraph.js';
import type { SupergraphSubgraph } from './supergraph/SupergraphSnapshot.js';
import { connectRedis } from './traffic/connectRedis.js';
import { createExplorerRoutes } from './explorer/createExplorerRoutes.js';
import { chooseLandingPage } from './landingPage/chooseLandingPage.js';
import { createGatewayWebSocket } from './websocket/createGatewayWebSocket.js';
import { createFastPath } from './http/fastPath/createFastPath.js';
import { createGatewaySubscriptions } from './subscriptions/createGatewaySubscriptions.js';
import { createHttpStreamCounter } from './streaming/createHttpStreamCounter.js';
import { reportRefusedConnections } from './traffic/reportRefusedConnections.js';

export interface GatewayServerDeps {
  /** @default createLogger({ name: 'gateway' }) */
  logger?: Logger;
  /**
   * What `/metrics` serves, given this gateway's registry. Cluster workers serve every worker's
   * metrics, aggregated, so that a counter does not depend on which worker answered.
   * @default exposeOwnMetrics (this gateway's registry)
   */
  exposeMetrics?: ExposeMetrics;
  /**
   * Open the internal metrics listener (`metrics.listener: internal`) here. Cluster workers do
   * not: their primary serves every worker's metrics on it.
   * @default true
   */
  metricsListener?: boolean;
  /**
   * How the drain closes the listener. Cluster workers have their primary do it (leaveClusterRotation).
   * @default net.Server's close
   */
  stopListening?: HttpDrainOptions['stopListening'];
  /**
   * Run single JSON POST operations without Apollo Server's request pipeline (createFastPath).
   * An internal switch: the equivalence tests compare a gateway with it and one without (and,
   * with `onRequest`, hear whether it took each request).
   * @default true
   */
  fastPath?: boolean | { onRequest(taken: boolean): void };
}

export interface GatewayServer {
  /** The Node server, not yet listening. HTTPS when `server.tls` is set. */
  httpServer: http.Server | https.Server;
  /** Whether `listen` serves HTTPS. */
  tls: boolean;
  /** Every subgraph of the supergraph loaded at start, with the URL the gateway sends its requests to. */
  subgraphs: readonly SupergraphSubgraph[];
  /** Listens (by default on `server.port` / `server.host`) and resolves with the bound address; the internal metrics listener too. */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Where the internal metrics listener listens, once `listen` has resolved; null without one. */
  metricsAddress(): AddressInfo | null;
  /** Stops taking requests, lets in-flight ones finish (up to the grace period), closes pools. */
  stop(): Promise<void>;
  /** Whether `/ready` answers 200. */
  isReady(): boolean;
}

/**
 * The gateway's composition root: reads the supergraph, builds Apollo Server with an
 * `ApolloGateway` and the plugins, and the HTTP server in front. Starts Apollo Server (so a bad
 * supergraph fails here) but never listens. Throws `ConfigError` for config that does not fit
 * the supergraph.
 */
export async function createGatewayServer(config: GatewayConfig, deps: GatewayServerDeps = {}): Promise<GatewayServer> {
  const logger = deps.logger ?? createLogger({ name: 'gateway' });
  const propagateHeaders = createHeaderPropagation(config.headers);
  const metrics = config.metrics.enabled ? createGatewayMetrics(config.metrics.maxLabelValues) : undefined;
  const clients = createGatewaySubgraphClients(config, propagateHeaders, logger, metrics);
  const { tracing: tracingConfig } = config.telemetry;
  const tracingOn = tracingConfig.enabled && Boolean(tracingConfig.otlpEndpoint);
  // Apollo Gateway loads the supergraph (through Portico's manager), checks it, and builds the API
  // schema and the query planner; Portico derives one snapshot per load from them, and runs plans.
  const supergraph = await createGatewaySupergraph(config, {
    logger,
    createPlanCache: () => createPlanCache((outcome) => metrics?.queryPlanCache.inc({ outcome })),
    // Called from Apollo Server's start on (nothing loads before it), when `readiness` exists.
    onSwap: (snapshot) => {
      // A reloaded supergraph may move a subgraph: its new URL counts unless config overrides it.
      clients.sync(snapshot.subgraphs);
      // Subscriptions whose operation the new API schema no longer validates end, saying why.
      subscriptions.revalidate(snapshot.apiSchema);
      readiness.markLoaded();
    },
    onReload: (outcome) => metrics?.supergraphReloads.inc({ outcome }),
  });
  const subscriptions = createGatewaySubscriptions(
    config,
    () => supergraph.current().subgraphs,
    propagateHeaders,
    metrics,
    tracingOn,
    (name) => clients.get(name),
  );
  const executor = createPlanExecutor({
    clientOf: (name) => clients.get(name),
    subscriptions,
    ...(tracingOn ? { tracer: trace.getTracer('portico-gateway') } : {}),
  });
  const httpServer = createNodeServer(config.server, config.rateLimit, reportRefusedConnections({ metrics, logger }));
  const redis = await connectRedis(config, logger);
  const addressOf = createAddressResolver(config.rateLimit.trustedProxies);
  const readiness = createGatewayReadiness(config, supergraph, redis.redis, logger);
  // Whatever is running when the start fails is stopped again, in the order `stop` uses.
  let pipeline!: Pipeline;
  let operations: OperationStore | null = null;
  let tracing: { shutdown(): Promise<void> } | undefined;
  let apollo!: ApolloServer<GatewayContext>;
  let authenticator!: ReturnType<typeof createFeatures>['authenticator'];
  let stage: 'building' | 'loading' | 'started' = 'building';
  // Apollo Server's, and the transport's for what it writes after Apollo Server answered (deferred parts).
  const formatError = createFormatError({ mode: config.mode });
  try {
    const decidePolicies = config.authorization.policyModule ? await loadPolicyModule(config.authorization.policyModule) : null;
    const features = createFeatures(config, {
      logger,
      metrics,
      redis: redis.redis,
      addressOf,
      costDirectives: (schema) => supergraph.of(schema).costDirectives,
      decidePolicies,
    });
    pipeline = createPipeline(features.features);
    operations = features.operations;
    authenticator = features.authenticator;

    apollo = new ApolloServer<GatewayContext>({
      gateway: createPipelineGateway(supergraph.gateway, pipeline.execute(executor.execute), supergraph.of),
      logger: logger.child({ component: 'apollo-server' }),
      introspection: config.introspection,
      // Without introspection, "did you mean" suggestions would leak the schema instead.
      hideSchemaDetailsFromClientErrors: !config.introspection,
      validationRules: [typenameAliasRule],
      includeStacktraceInErrorResponses: config.includeStacktraceInErrors,
      formatError,
      // The CLI handles signals, so that it can exit 0 after a clean stop.
      stopOnTerminationSignals: false,
      // Batches are capped by limits.maxBatchSize in the HTTP layer (the documentLimits feature).
      allowBatchedHttpRequests: true,
      persistedQueries: features.persistedQueries,
      plugins: [
        // Before the request handler is attached, so that its request listener runs first.
        createHttpDrain({
          httpServer,
          delayMs: config.server.drainDelayMs,
          gracePeriodMs: config.server.shutdownGracePeriodMs,
          stopListening: deps.stopListening,
          onDrainStart: () => {
            readiness.markDraining();
            // Streams would hold the drain for its whole grace period: their clients reconnect elsewhere.
            subscriptions.close();
            pipeline.drain();
          },
          logger,
        }).plugin,
        // The request path's features, in order (see createFeatures).
        ...pipeline.plugins,
        chooseLandingPage(config, () => supergraph.current().examples.sandbox),
        // Its per-request hooks only ever computed `cache-control: no-store` here (the executor
        // gathers no cache hints); the HTTP layer sends that header itself, on the GraphQL path.
        ApolloServerPluginCacheControlDisabled(),
        // Apollo Server installs GraphOS usage reporting by itself when APOLLO_KEY and
        // APOLLO_GRAPH_REF are set: it would send operations and client names off-site, which
        // Portico never meant to (its own metrics stay with the scraper; README "Metrics").
        ApolloServerPluginUsageReportingDisabled(),
      ],
    });
    // Started just before Apollo Server, so that no earlier failure leaves it registered.
    // Off, nothing is started: traceparent is still passed on, from startServerSpan's own ids.
    // The OpenTelemetry SDK is loaded only when tracing is on: it is a sizeable part of the memory.
    tracing =
      tracingOn && tracingConfig.otlpEndpoint
        ? (await import('../common/tracing/startTracing.js')).startTracing({
            serviceName: tracingConfig.serviceName,
            otlpEndpoint: tracingConfig.otlpEndpoint,
            sampleRatio: tracingConfig.sampleRatio,
          })
        : undefined;
    stage = 'loading';
    await apollo.start();
    stage = 'started';
    // Config that does not fit the supergraph (an override for a subgraph it lacks).
    supergraph.confirm();
  } catch (error) {
    // A started Apollo Server stops its plugins and the gateway; otherwise the gateway alone.
    await (stage === 'started' ? apollo.stop() : supergraph.gateway.stop());
    await pipeline?.close();
    await clients.close();
    await redis.close();
    await tracing?.shutdown();
    // Loading is where the supergraph is refused; anything before says its own reason.
    throw stage === 'building' ? error : supergraph.loadError(error);
  }

  const exposition = metrics ? (deps.exposeMetrics ?? exposeOwnMetrics)(metrics.registry) : undefined;
  const cors = createCors(config.server.cors);
  const clientAddressOf = (req: http.IncomingMessage) => addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']);
  const webSocket = createGatewayWebSocket(config, { apollo, pipeline, authenticator, formatError, cors, clientAddressOf, logger, metrics });
  if (webSocket) httpServer.on('upgrade', webSocket.upgrade);
  const metricsListener =
    exposition && config.metrics.listener === 'internal' && deps.metricsListener !== false ? createMetricsListener(exposition, logger, operations) : null;
  httpServer.on(
    'request',
    createRequestHandler({
      apollo,
      ...(deps.fastPath === false ? {} : { fastPath: createFastPath(apollo, deps.fastPath === true ? undefined : deps.fastPath?.onRequest) }),
      pipeline,
      graphqlPath: config.server.graphqlPath,
      clientAddressOf,
      requestTimeoutMs: config.server.requestTimeoutMs,
      formatError,
      // SSE and multipart streams and multipart @defer answers, on /metrics (WebSockets count their own).
      openStream: createHttpStreamCounter(metrics),
      landingPage: config.landingPage,
      ...createExplorerRoutes(config, { arrive: (req, res) => pipeline.arrive(req, res), current: () => supergraph.current() }),
      cors,
      readiness,
      ...(exposition && config.metrics.listener === 'public' ? { exposition } : {}),
      logger,
    }),
  );

  let stopping: Promise<void> | undefined;
  return {
    httpServer,
    tls: config.server.tls !== null,
    subgraphs: supergraph.current().subgraphs,
    listen: async (port = config.server.port, host = config.server.host) => {
      const address = await listen(httpServer, port, host, config.server.listenBacklog);
      if (metricsListener) await listen(metricsListener, config.metrics.port, config.metrics.host);
      return address;
    },
    metricsAddress: () => (metricsListener?.listening ? (metricsListener.address() as AddressInfo) : null),
    stop: () => {
      stopping ??= (async () => {
        subscriptions.close();
        // WebSockets close (1001) while the HTTP drain runs: it waits for their connections too.
        await Promise.all([webSocket?.drain(config.server.drainDelayMs, config.server.shutdownGracePeriodMs), apollo.stop()]);
        if (metricsListener?.listening) {
          // A scraper's keep-alive connection would hold close() open.
          const closed = new Promise((resolve) => metricsListener.close(resolve));
          metricsListener.closeAllConnections();
          await closed;
        }
        await pipeline.close();
        await clients.close();
        await redis.close();
        // Last, so that the spans of the requests that drained above are sent too.
        await tracing?.shutdown();
      })();
      return stopping;
    },
    isReady: () => readiness.status().ready,
  };
}
