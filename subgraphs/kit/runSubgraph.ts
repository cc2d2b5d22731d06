import type { AddressInfo } from 'node:net';
import { announceListening, stopWithParent } from '../../common/announceListening.js';
import { createLogger } from '../../common/createLogger.js';
import { startTracing, type Tracing } from '../../common/tracing/startTracing.js';
import { tracingFromEnv } from '../../common/tracing/tracingFromEnv.js';
import type { SubgraphRuntime, SubgraphServer } from './createSubgraphServer.js';
import { createRedisNonceStore } from './nonces/createRedisNonceStore.js';
import type { NonceStore } from './nonces/NonceStore.js';
import { signingPolicyFromEnv } from './SigningPolicy.js';
import { serviceEnv } from './serviceEnv.js';

/** What a subgraph's entry builds from its environment. */
export interface BuiltSubgraph {
  server: SubgraphServer;
  /** Closes the subgraph's backend clients once the server has stopped. */
  closeClients(): Promise<void>;
}

export interface RunSubgraphOptions {
  name: string;
  /** Port when PORT is unset. */
  defaultPort: number;
  /** Builds the subgraph: its backend clients from `env`, and the server with `runtime`. */
  build(env: ReturnType<typeof serviceEnv>, runtime: SubgraphRuntime): BuiltSubgraph;
}

/**
 * What every subgraph's entry file does: build from the environment, listen on PORT and HOST,
 * say where, and on SIGTERM or SIGINT finish in-flight requests and exit 0. A bad setting
 * stops it at start with a one-line message and exit code 1.
 */
export async function runSubgraph(options: RunSubgraphOptions): Promise<void> {
  const logger = createLogger({ name: options.name });
  let built: BuiltSubgraph;
  let port: number;
  let tracing: Tracing | undefined;
  let nonces: NonceStore | undefined;
  try {
    const env = serviceEnv(process.env);
    port = env.int('PORT', options.defaultPort, 0);
    const development = process.env.NODE_ENV !== 'production';
    const signing = signingPolicyFromEnv(process.env, development, env.int('PORTICO_SIGNATURE_MAX_AGE_MS', 60_000));
    // Replicas share the nonces of the requests they accepted, so a replay to another one is seen.
    if (process.env.REDIS_URL) signing.nonces = nonces = createRedisNonceStore(env.url('REDIS_URL', 'redis://localhost:6379', ['redis:', 'rediss:']), { subgraph: options.name });
    const tracingOptions = tracingFromEnv(process.env, `portico-${options.name}`);
    built = options.build(env, { logger, signing, development, shutdownGracePeriodMs: env.int('SHUTDOWN_GRACE_PERIOD_MS', 10_000, 0), drainDelayMs: env.int('DRAIN_DELAY_MS', 0, 0) });
    // Off unless an OTLP endpoint is set; traceparent is passed on either way.
    tracing = tracingOptions && startTracing(tracingOptions);
  } catch (error) {
    logger.fatal((error as Error).message);
    process.exit(1);
  }
  const { server } = built;
  await server.start().catch((error: Error) => {
    logger.fatal(`cannot start: ${error.message}`);
    process.exit(1);
  });
  await new Promise<void>((resolve, reject) => {
    server.httpServer.once('error', reject);
    server.httpServer.listen(port, process.env.HOST ?? '0.0.0.0', resolve);
  }).catch((error: Error) => {
    logger.fatal(`cannot listen on port ${port}: ${error.message}`);
    process.exit(1);
  });
  const actual = (server.httpServer.address() as AddressInfo).port;
  logger.info(`${options.name} subgraph ready at http://localhost:${actual}/graphql`);
  announceListening(options.name, actual);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing in-flight requests`);
    server
      .stop()
      .then(() => built.closeClients())
      .then(() => nonces?.close())
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  // `on`, not `once`: the listener must stay while shutting down, or tsx's own handler, seeing
  // none left, re-raises the signal and the process dies mid-drain.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  stopWithParent(() => shutdown('parent process exited'));
}
