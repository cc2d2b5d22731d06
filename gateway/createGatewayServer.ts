import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { createLogger, type Logger } from '../common/createLogger.js';
import { ConfigError } from './config/ConfigError.js';
import type { GatewayConfig } from './config/GatewayConfig.js';
import { subgraphDefaults } from './config/loadGatewayConfig.js';
import { createFormatError } from './errors/createFormatError.js';
import type { GatewayContext } from './GatewayContext.js';
import { createAuthenticator } from './auth/createAuthenticator.js';
import { acceptEnforcedSecurityLinks } from './authorization/acceptEnforcedSecurityLinks.js';
import { createAuthorizingGateway } from './authorization/createAuthorizingGateway.js';
import { loadPolicyModule } from './authorization/loadPolicyModule.js';
import { createHeaderPropagation } from './subgraphRequests/createHeaderPropagation.js';
import { createSubgraphClient, type SubgraphObserver } from './subgraphRequests/createSubgraphClient.js';
import { createSubgraphClients } from './subgraphRequests/createSubgraphClients.js';
import { createPlanExecutor } from './execution/createPlanExecutor.js';
import { parseSupergraph } from './supergraph/parseSupergraph.js';
import { createNameInterner } from './supergraph/createNameInterner.js';
import { trace } from '@opentelemetry/api';
import { createCors } from './http/createCors.js';
import { createRequestHandler } from './http/createRequestHandler.js';
import { createDemandControl } from './plugins/createDemandControl.js';
import { createFailedRequestLog } from './plugins/createFailedRequestLog.js';
import { createVariableCoercion } from './plugins/createVariableCoercion.js';
import { createHttpDrain } from './health/createHttpDrain.js';
import { createReadiness } from './health/createReadiness.js';
import { createSubgraphProbe } from './health/createSubgraphProbe.js';
import { createRedisProbe } from './health/createRedisProbe.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics/createGatewayMetrics.js';
import { createRequestMetrics } from './metrics/createRequestMetrics.js';
import { createMetricsListener } from './metrics/createMetricsListener.js';
import { createPlanCache } from './execution/createPlanCache.js';
import { exposeOwnMetrics, type ExposeMetrics } from './metrics/MetricsExposition.js';
import { rejectionReasonOf } from './metrics/rejectionReasonOf.js';
import { createByteBudget } from '../common/http/createByteBudget.js';
import { createAddressResolver } from './traffic/createAddressResolver.js';
import { createSupergraphWatcher } from './supergraph/createSupergraphWatcher.js';
import { fetchSupergraph } from './supergraph/fetchSupergraph.js';
import { readSupergraph, type SupergraphSubgraph } from './supergraph/readSupergraph.js';
import { readCostDirectives } from './traffic/readCostDirectives.js';
import { createTrafficProtection } from './traffic/createTrafficProtection.js';
import { createAdmission } from './traffic/createAdmission.js';
import { exampleOperation } from './landingPage/exampleOperation.js';
import { createExplorerRoute, explorerPath } from './explorer/createExplorerRoute.js';
import { createLandingPagePlugin } from './landingPage/createLandingPagePlugin.js';

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
  const { url: supergraphUrl, path: supergraphPath } = config.supergraph;
  // A download is given what a subgraph call is given, and never less than a few seconds.
  const downloadTimeoutMs = Math.max(5000, config.upstream.timeoutMs);
  const readSource = async () => (supergraphUrl ? fetchSupergraph(supergraphUrl, downloadTimeoutMs) : readSupergraph(supergraphPath));
  const supergraph = await readSource().catch((error: unknown) => {
    throw new ConfigError([`${supergraphUrl ? 'supergraph.url' : 'supergraph.path'}: ${(error as Error).message}`]);
  });
  const subgraphs = routeSubgraphs(config, supergraph.subgraphs);
  // The subgraphs of the supergraph served now, for /ready's probes.
  let served: readonly SupergraphSubgraph[] = subgraphs;

  const propagateHeaders = createHeaderPropagation(config.headers);
  const metrics = config.metrics.enabled ? createGatewayMetrics(config.metrics.maxLabelValues) : undefined;
  const clients = createSubgraphClients(({ name, url }) =>
    createSubgraphClient({
      name,
      url,
      settings: config.subgraphs[name] ?? subgraphDefaults(config.upstream),
      maxConnections: config.upstream.maxConnectionsPerSubgraph,
      signingSecret: config.subgraphSigning.secret,
      propagateHeaders: (incoming) => propagateHeaders(name, incoming),
      forwardClaims: config.authentication.forwardClaims,
      forwardToken: config.authentication.forwardToken,
      logger,
      ...(metrics ? { observer: subgraphObserver(metrics, name) } : {}),
    }),
  );
  const { tracing: tracingConfig } = config.telemetry;
  const tracingOn = tracingConfig.enabled && Boolean(tracingConfig.otlpEndpoint);
  const executor = createPlanExecutor({
    clientOf: (name) => clients.get(name),
    planCache: createPlanCache((outcome) => metrics?.queryPlanCache.inc({ outcome })),
    ...(tracingOn ? { tracer: trace.getTracer('portico-gateway') } : {}),
  });
  const internNames = createNameInterner();
  const supergraphWatcher = createSupergraphWatcher({
    source: supergraphUrl ?? supergraphPath,
    kind: supergraphUrl ? 'url' : 'file',
    read: readSource,
    initialSdl: supergraph.sdl,
    watch: config.supergraph.watch,
    pollIntervalMs: config.supergraph.pollIntervalMs,
    logger,
    prepare: (sdl) => acceptEnforcedSecurityLinks(internNames(sdl)),
    onReload: (outcome, reloaded) => {
      metrics?.supergraphReloads.inc({ outcome });
      if (reloaded) served = reloaded.subgraphs.map(({ name, url }) => ({ name, url: config.subgraphs[name]?.url ?? url }));
    },
  });
  // Apollo Gateway loads, checks and reloads the supergraph; Portico plans and runs operations.
  // Without this, Apollo Gateway probes the cloud metadata services at start and sends usage data
  // to Apollo (usage-reporting.api.apollographql.com) every hour and at stop. A gateway connects
  // to what its config names, nothing else.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({ supergraphSdl: supergraphWatcher.hook, logger: logger.child({ component: 'apollo-gateway' }) });
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl, apiSchema }) => {
    // A reloaded supergraph may move a subgraph: its new URL counts unless config overrides it.
    clients.sync(parseSupergraph(coreSupergraphSdl, 'the loaded supergraph').subgraphs.map(({ name, url }) => ({ name, url: config.subgraphs[name]?.url ?? url })));
    executor.load(coreSupergraphSdl, apiSchema);
  });

  const tls = config.server.tls;
  const httpServer = tls ? createHttpsServer(tls, connectionTimeouts(config.server)) : http.createServer(connectionTimeouts(config.server));
  const failedRequestLog = createFailedRequestLog(logger);
  // The cost directives of the supergraph being served, after every reload too.
  let costDirectives = readCostDirectives(supergraph.sdl);
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    costDirectives = readCostDirectives(coreSupergraphSdl);
  });
  const demandControl = createDemandControl(config.demandControl, () => costDirectives);
  const traffic = await createTrafficProtection(config, demandControl, logger);
  // A probe answers in a moment or not at all: never let it hold /ready longer than a load
  // balancer's usual check timeout.
  const probeTimeoutMs = Math.min(2000, config.upstream.timeoutMs);
  const readiness = createReadiness({
    supergraph: supergraphWatcher.status,
    ...(config.server.readyChecksSubgraphs ? { probeSubgraphs: createSubgraphProbe(() => served, { timeoutMs: probeTimeoutMs, signingSecret: config.subgraphSigning.secret }) } : {}),
    ...(config.server.readyChecksSubgraphs === 'any' ? { subgraphsNeeded: 'any' as const } : {}),
    ...(config.server.readyChecksRedis && traffic.redis ? { probeRedis: createRedisProbe(traffic.redis, probeTimeoutMs) } : {}),
    // /ready is public: details (reloads, subgraph states, never a file or URL) in development only.
    showDetails: config.mode === 'development',
    logger,
  });
  gateway.onSchemaLoadOrUpdate(() => readiness.markLoaded());

  const apollo = new ApolloServer<GatewayContext>({
    gateway: createAuthorizingGateway(gateway, executor.execute, {
      unauthorized: config.authorization.unauthorized,
      decidePolicies: config.authorization.policyModule ? await loadPolicyModule(config.authorization.policyModule) : null,
      logger,
    }),
    logger: logger.child({ component: 'apollo-server' }),
    introspection: config.introspection,
    // Without introspection, "did you mean" suggestions would leak the schema instead.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    includeStacktraceInErrorResponses: config.includeStacktraceInErrors,
    formatError: createFormatError({ mode: config.mode }),
    // The CLI handles signals, so that it can exit 0 after a clean stop.
    stopOnTerminationSignals: false,
    // Batches are capped by limits.maxBatchSize in the HTTP layer (guardDocuments).
    allowBatchedHttpRequests: true,
    persistedQueries: traffic.persistedQueries,
    plugins: [
      // Before the request handler is attached, so that its request listener runs first.
      createHttpDrain({
        httpServer,
        delayMs: config.server.drainDelayMs,
        gracePeriodMs: config.server.shutdownGracePeriodMs,
        onDrainStart: readiness.markDraining,
        logger,
      }).plugin,
      failedRequestLog.plugin,
      // Unknown operation names refused; variables coerced once, for every stage after it.
      createVariableCoercion(),
      // Persisted documents, then rate limits (they charge the cost), then demand control.
      ...traffic.plugins,
      demandControl.plugin,
      landingPagePlugin(config, supergraph.sdl),
      // Its per-request hooks only ever computed `cache-control: no-store` here (the executor
      // gathers no cache hints); the HTTP layer sends that header itself, on the GraphQL path.
      ApolloServerPluginCacheControlDisabled(),
      ...(metrics ? [createRequestMetrics({ metrics, ...config.metrics })] : []),
    ],
  });
  // Started just before Apollo Server, so that no earlier failure leaves it registered.
  // Off, nothing is started: traceparent is still passed on, from startServerSpan's own ids.
  // The OpenTelemetry SDK is loaded only when tracing is on: it is a sizeable part of the memory.
  const tracing =
    tracingOn && tracingConfig.otlpEndpoint
      ? (await import('../common/tracing/startTracing.js')).startTracing({
          serviceName: tracingConfig.serviceName,
          otlpEndpoint: tracingConfig.otlpEndpoint,
          sampleRatio: tracingConfig.sampleRatio,
        })
      : undefined;
  try {
    await apollo.start();
  } catch (error) {
    await clients.close();
    await traffic.close();
    await tracing?.shutdown();
    const key = supergraphUrl ? 'supergraph.url' : 'supergraph.path';
    throw new ConfigError([`${key}: the gateway cannot load ${supergraphUrl ?? supergraphPath}: ${(error as Error).message}`]);
  }

  const exposition = metrics ? (deps.exposeMetrics ?? exposeOwnMetrics)(metrics.registry) : undefined;
  const metricsListener =
    exposition && config.metrics.listener === 'internal' && deps.metricsListener !== false ? createMetricsListener(exposition, logger) : null;
  const admission = createAdmission(config.server.admission);
  metrics?.observeAdmission(admission.state);
  const addressOf = createAddressResolver(config.rateLimit.trustedProxies);
  httpServer.on(
    'request',
    createRequestHandler({
      apollo,
      graphqlPath: config.server.graphqlPath,
      bodyLimitBytes: config.server.bodyLimitBytes,
      bodyTimeoutMs: config.server.bodyTimeoutMs,
      bodyBudget: createByteBudget(config.server.maxBodyBytesInFlight, bodyShareOf(config.server)),
      clientAddressOf: (req) => addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']),
      requestTimeoutMs: config.server.requestTimeoutMs,
      limits: config.limits,
      landingPage: config.landingPage,
      explorer: config.explorer ? createExplorerRoute({ graphqlPath: config.server.graphqlPath, exampleQuery: exampleOperation(supergraph.sdl, 'graphiql') }) : null,
      cors: createCors(config.server.cors),
      authenticator: createAuthenticator(config.authentication, logger.child({ component: 'authentication' })),
      admission,
      limitAddress: traffic.limitAddress,
      readiness,
      failedRequestLog,
      logger,
      ...(metrics
        ? {
            metrics: {
              ...(config.metrics.listener === 'public' ? { exposition: exposition! } : {}),
              countRejection: (code: string) => {
                const reason = rejectionReasonOf(code);
                if (reason) metrics.rejections.inc({ reason, code });
              },
            },
          }
        : {}),
    }),
  );

  let stopping: Promise<void> | undefined;
  return {
    httpServer,
    tls: tls !== null,
    subgraphs,
    listen: async (port = config.server.port, host = config.server.host) => {
      const address = await listen(httpServer, port, host);
      if (metricsListener) await listen(metricsListener, config.metrics.port, config.metrics.host);
      return address;
    },
    metricsAddress: () => (metricsListener?.listening ? (metricsListener.address() as AddressInfo) : null),
    stop: () => {
      stopping ??= (async () => {
        await apollo.stop();
        if (metricsListener?.listening) {
          // A scraper's keep-alive connection would hold close() open.
          const closed = new Promise((resolve) => metricsListener.close(resolve));
          metricsListener.closeAllConnections();
          await closed;
        }
        admission.close();
        await clients.close();
        await traffic.close();
        // Last, so that the spans of the requests that drained above are sent too.
        await tracing?.shutdown();
      })();
      return stopping;
    },
    isReady: () => readiness.status().ready,
  };
}

/** Feeds one subgraph's attempts, retries, shared requests and breaker state to the metrics. */
function subgraphObserver(metrics: GatewayMetrics, subgraph: string): SubgraphObserver {
  return {
    attempt: (durationMs, outcome) => {
      metrics.subgraphFetchDuration.observe({ subgraph }, durationMs / 1000);
      metrics.subgraphFetches.inc({ subgraph, outcome });
    },
    retry: () => metrics.subgraphRetries.inc({ subgraph }),
    deduplicated: () => metrics.subgraphDeduplicated.inc({ subgraph }),
    breakerState: (state) => metrics.setBreakerState(subgraph, state),
  };
}

/** The supergraph's subgraphs with config's URL overrides; refuses overrides for unknown names. */
function routeSubgraphs(config: GatewayConfig, composed: readonly SupergraphSubgraph[]): SupergraphSubgraph[] {
  const known = new Set(composed.map((subgraph) => subgraph.name));
  const unknown = [
    ...Object.keys(config.subgraphs).map((name) => ({ at: `subgraphs.${name}`, name })),
    ...Object.keys(config.headers.subgraphs).map((name) => ({ at: `headers.subgraphs.${name}`, name })),
  ].filter(({ name }) => !known.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map(({ at }) => `${at}: no subgraph of that name in ${config.supergraph.url ?? config.supergraph.path} (known: ${[...known].join(', ')})`),
    );
  }
  return composed.map(({ name, url }) => ({ name, url: config.subgraphs[name]?.url ?? url }));
}

/**
 * Node's own connection timeouts, set deliberately rather than left at its defaults (5 minutes
 * for a request, 1 minute for headers, checked every 30 s): a client has `headersTimeoutMs` for
 * its headers, and headers and body together may take no longer than `headersTimeoutMs +
 * bodyTimeoutMs` (the handler's own body timer answers first, with a coded 408; Node's is the
 * backstop for requests the handler never reads, such as a body sent to /health). Checked every
 * second so that they hold to within a second.
 */
function connectionTimeouts(server: GatewayConfig['server']): http.ServerOptions {
  return {
    headersTimeout: server.headersTimeoutMs,
    requestTimeout: server.headersTimeoutMs + server.bodyTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, server.headersTimeoutMs),
  };
}

/** An HTTPS server; a certificate or key that cannot be read or used is a `ConfigError`. */
function createHttpsServer(tls: NonNullable<GatewayConfig['server']['tls']>, timeouts: http.ServerOptions): https.Server {
  try {
    return https.createServer({ ...timeouts, cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  } catch (error) {
    throw new ConfigError([
      `server.tls: cannot use ${tls.certFile} and ${tls.keyFile} (PEM certificate and its private key): ${(error as Error).message}`,
    ]);
  }
}

/**
 * The Sandbox where `landingPage` is on, opened on an example operation that says where a token
 * goes; nothing (not even Apollo's default page) elsewhere.
 */
function landingPagePlugin(config: GatewayConfig, supergraphSdl: string): ApolloServerPlugin {
  return config.landingPage
    ? createLandingPagePlugin({ document: exampleOperation(supergraphSdl), explorerPath: config.explorer ? explorerPath : undefined })
    : ApolloServerPluginLandingPageDisabled();
}

/** `server.listen` as a promise that rejects on EADDRINUSE and friends. */
function listen(server: http.Server | https.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * The most body bytes one client may hold at once: an eighth of `maxBodyBytesInFlight`, and never
 * less than one whole body. One address sending large bodies slowly then leaves seven eighths
 * to everyone else.
 */
function bodyShareOf(server: GatewayConfig['server']): number {
  return Math.max(server.bodyLimitBytes, Math.floor(server.maxBodyBytesInFlight / 8));
}
