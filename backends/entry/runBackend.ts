import { announceListening } from '../../common/announceListening.js';
import type { Logger } from '../../common/createLogger.js';
import { runService } from '../../common/process/runService.js';
import { startTracing } from '../../common/tracing/startTracing.js';
import { tracingFromEnv } from '../../common/tracing/tracingFromEnv.js';
import { readListenOptions } from './readListenOptions.js';

export interface RunBackendOptions {
  /** The name announced to `portico dev` and put in the start line. */
  name: string;
  /** Used when `PORT` is not set. */
  defaultPort: number;
  /** How the start line shows the address. */
  protocol: 'http' | 'grpc';
  logger: Logger;
  /** Starts listening; resolves with the port actually bound. */
  listen(port: number, host: string): Promise<number>;
  /** Stops gracefully. */
  close(): Promise<void>;
}

/**
 * What every backend's `index.ts` does: read `PORT`/`HOST`, listen, print one start line,
 * announce the port, and on SIGTERM/SIGINT close gracefully and exit 0 (runService). Start-up
 * failures (bad `PORT`, port taken) exit 1 with the reason.
 */
export async function runBackend(options: RunBackendOptions): Promise<void> {
  const { name, logger } = options;
  await runService({
    logger,
    start: async () => {
      const listen = readListenOptions(process.env, options.defaultPort);
      // Off unless an OTLP endpoint is set; traceparent is passed on either way.
      const tracingOptions = tracingFromEnv(process.env, `portico-${name}`);
      const tracing = tracingOptions && startTracing(tracingOptions);
      const port = await options.listen(listen.port, listen.host);
      const shownHost = listen.host === '0.0.0.0' || listen.host === '::' ? 'localhost' : listen.host;
      const address = `${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
      return {
        announce: () => {
          logger.info(`${name} listening on ${options.protocol === 'http' ? `http://${address}` : `${address} (gRPC)`}`);
          announceListening(name, port);
        },
        stop: async () => {
          await options.close();
          await tracing?.shutdown();
        },
      };
    },
  });
}
