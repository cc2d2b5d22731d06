import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { createLogger, type Logger } from '../common/createLogger.js';
import { ConfigError } from './config/ConfigError.js';
import type { GatewayConfig } from './config/GatewayConfig.js';
import { createSubgraphDataSource, type SubgraphDataSource } from './createSubgraphDataSource.js';
import { createFormatError } from './errors/createFormatError.js';
import type { GatewayContext } from './GatewayContext.js';
import { createAuthenticator } from './auth/createAuthenticator.js';
import { acceptEnforcedSecurityLinks } from './authorization/acceptEnforcedSecurityLinks.js';
import { createAuthorizingGateway } from './authorization/createAuthorizingGateway.js';
import { loadPolicyModule } from './authorization/loadPolicyModule.js';
import { createHeaderPropagation } from './subgraphRequests/createHeaderPropagation.js';
import { createCors } from './http/createCors.js';
import { createRequestHandler } from './http/createRequestHandler.js';
import { createFailedRequestLog } from './plugins/createFailedRequestLog.js';
import { createReadiness } from './plugins/createReadiness.js';
import { exampleOperation } from './landingPage/exampleOperation.js';
import { createExplorerRoute } from './explorer/createExplorerRoute.js';
import { readSupergraph, type SupergraphSubgraph } from './supergraph/readSupergraph.js';
import { watchSupergraphFile } from './supergraph/watchSupergraphFile.js';

export interface GatewayServerDeps {
  /** @default createLogger({ name: 'gateway' }) */
  logger?: Logger;
  /**
   * Reload the supergraph whenever its file changes (`portico dev`). Refused in production,
   * which loads the supergraph it was deployed with, once.
   * @default false
   */
  watchSupergraph?: boolean;
}

export interface GatewayServer {
  /** The Node server, not yet listening. HTTPS when `server.tls` is set. */
  httpServer: http.Server | https.Server;
  /** Whether `listen` serves HTTPS. */
  tls: boolean;
  /** Every subgraph of the supergraph, with the URL the gateway sends its requests to. */
  subgraphs: readonly SupergraphSubgraph[];
  /** Listens (by default on `server.port` / `server.host`) and resolves with the bound address. */
  listen(port?: number, host?: string): Promise<AddressInfo>;
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
  if (deps.watchSupergraph && config.mode === 'production') {
    throw new ConfigError(['--watch: reloading the supergraph is for development; in production the gateway loads the supergraph it was deployed with.']);
  }
  const supergraph = asConfigError(() => readSupergraph(config.supergraph.path));
  const subgraphs = routeSubgraphs(config, supergraph.subgraphs);
  const urlOf = new Map(subgraphs.map((subgraph) => [subgraph.name, subgraph.url]));

  const propagateHeaders = createHeaderPropagation(config.headers);
  const dataSources: SubgraphDataSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: deps.watchSupergraph
      ? watchSupergraphFile({ path: config.supergraph.path, initialSdl: supergraph.sdl, prepare: acceptEnforcedSecurityLinks, logger })
      : acceptEnforcedSecurityLinks(supergraph.sdl),
    logger: logger.child({ component: 'apollo-gateway' }),
    buildService: ({ name, url }) => {
      const dataSource = createSubgraphDataSource({
        name,
        url: urlOf.get(name) ?? url ?? '',
        timeoutMs: config.subgraphs[name]?.timeoutMs ?? config.upstream.timeoutMs,
        maxConnections: config.upstream.maxConnectionsPerSubgraph,
        signingSecret: config.subgraphSigning.secret,
        propagateHeaders: (incoming) => propagateHeaders(name, incoming),
        forwardClaims: config.authentication.forwardClaims,
        forwardToken: config.authentication.forwardToken,
      });
      dataSources.push(dataSource);
      return dataSource;
    },
  });
  const readiness = createReadiness();
  gateway.onSchemaLoadOrUpdate(() => readiness.markLoaded());

  const tls = config.server.tls;
  const httpServer = tls ? createHttpsServer(tls) : http.createServer();
  const failedRequestLog = createFailedRequestLog(logger);

  const apollo = new ApolloServer<GatewayContext>({
    gateway: createAuthorizingGateway(gateway, {
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
    plugins: [
      ApolloServerPluginDrainHttpServer({
        // https.Server has every member the plugin uses; Node's types do not relate the two.
        httpServer: httpServer as http.Server,
        stopGracePeriodMillis: config.server.shutdownGracePeriodMs,
      }),
      readiness.plugin,
      failedRequestLog.plugin,
      landingPagePlugin(config, supergraph.sdl),
    ],
  });
  try {
    await apollo.start();
  } catch (error) {
    await Promise.all(dataSources.map((dataSource) => dataSource.close()));
    throw new ConfigError([`supergraph.path: the gateway cannot load ${config.supergraph.path}: ${(error as Error).message}`]);
  }

  httpServer.on(
    'request',
    createRequestHandler({
      apollo,
      graphqlPath: config.server.graphqlPath,
      bodyLimitBytes: config.server.bodyLimitBytes,
      landingPage: config.landingPage,
      explorer: config.explorer ? createExplorerRoute({ graphqlPath: config.server.graphqlPath, exampleQuery: exampleOperation(supergraph.sdl) }) : null,
      cors: createCors(config.server.cors),
      authenticator: createAuthenticator(config.authentication),
      readiness,
      failedRequestLog,
      logger,
    }),
  );

  let stopping: Promise<void> | undefined;
  return {
    httpServer,
    tls: tls !== null,
    subgraphs,
    listen: (port = config.server.port, host = config.server.host) => listen(httpServer, port, host),
    stop: () => {
      stopping ??= (async () => {
        await apollo.stop();
        await Promise.all(dataSources.map((dataSource) => dataSource.close()));
      })();
      return stopping;
    },
    isReady: () => readiness.status().ready,
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
      unknown.map(({ at }) => `${at}: no subgraph of that name in ${config.supergraph.path} (known: ${[...known].join(', ')})`),
    );
  }
  return composed.map(({ name, url }) => ({ name, url: config.subgraphs[name]?.url ?? url }));
}

/** An HTTPS server; a certificate or key that cannot be read or used is a `ConfigError`. */
function createHttpsServer(tls: NonNullable<GatewayConfig['server']['tls']>): https.Server {
  try {
    return https.createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  } catch (error) {
    throw new ConfigError([
      `server.tls: cannot use ${tls.certFile} and ${tls.keyFile} (PEM certificate and its private key): ${(error as Error).message}`,
    ]);
  }
}

/** Runs `read`, reporting its failure as a problem with `supergraph.path`. */
function asConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError([`supergraph.path: ${(error as Error).message}`]);
  }
}

/**
 * The Sandbox where `landingPage` is on, opened on an example operation that says where a token
 * goes; nothing (not even Apollo's default page) elsewhere.
 */
function landingPagePlugin(config: GatewayConfig, supergraphSdl: string): ApolloServerPlugin {
  return config.landingPage
    ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false, document: exampleOperation(supergraphSdl) })
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
