import { announceListening } from '../../common/announceListening.js';
import { createLogger } from '../../common/createLogger.js';
import { listenHttp } from '../../common/process/listenHttp.js';
import { runService } from '../../common/process/runService.js';
import { startTracing } from '../../common/tracing/startTracing.js';
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
 * say where, and on SIGTERM or SIGINT finish in-flight requests and exit 0 (runService). A bad
 * setting stops it at start with a one-line message and exit code 1.
 */
export async function runSubgraph(options: RunSubgraphOptions): Promise<void> {
  const logger = createLogger({ name: options.name });
  await runService({
    logger,
    start: async () => {
      const env = serviceEnv(process.env);
      const port = env.int('PORT', options.defaultPort, 0);
      const development = process.env.NODE_ENV !== 'production';
      const signing = signingPolicyFromEnv(process.env, development, env.int('PORTICO_SIGNATURE_MAX_AGE_MS', 60_000));
      let nonces: NonceStore | undefined;
      // Replicas share the nonces of the requests they accepted, so a replay to another one is seen.
      if (process.env.REDIS_URL)
        signing.nonces = nonces = createRedisNonceStore(env.url('REDIS_URL', 'redis://localhost:6379', ['redis:', 'rediss:']), { subgraph: options.name });
      const tracingOptions = tracingFromEnv(process.env, `portico-${options.name}`);
      const built = options.build(env, {
        logger,
        signing,
        development,
        shutdownGracePeriodMs: env.int('SHUTDOWN_GRACE_PERIOD_MS', 10_000, 0),
        drainDelayMs: env.int('DRAIN_DELAY_MS', 0, 0),
      });
      // Off unless an OTLP endpoint is set; traceparent is passed on either way.
      const tracing = tracingOptions && startTracing(tracingOptions);
      const { server } = built;
      await server.start();
      const actual = await listenHttp(server.httpServer, port, process.env.HOST ?? '0.0.0.0');
      return {
        announce: () => {
          logger.info(`${options.name} subgraph ready at http://localhost:${actual}/graphql`);
          announceListening(options.name, actual);
        },
        stop: async () => {
          await server.stop();
          await built.closeClients();
          await nonces?.close();
          await tracing?.shutdown();
        },
      };
    },
  });
}
