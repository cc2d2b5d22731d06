import type { Logger } from '../createLogger.js';
import { handleStopSignals, type ServiceProcess, type StopFor } from './handleStopSignals.js';

/** A service that has started: built, and listening. */
export interface StartedService {
  /**
   * Says where it listens (log lines, `announceListening` to the parent). Called once the stop
   * signals are handled, so that whoever waits for the announcement may signal at once.
   */
  announce(): void;
  /** Lets requests in flight finish, then releases everything (clients, stores, tracing). */
  stop(): Promise<void>;
}

export interface RunServiceOptions {
  logger: Logger;
  /** Builds the service from its settings and listens. A throw stops the process with exit 1. */
  start(): Promise<StartedService>;
  /**
   * Says why the service could not start.
   * @default logs `could not start: <message>` at fatal, without a stack (a setting or a port is what to fix)
   */
  reportStartFailure?(error: unknown): void;
  /** @default process */
  process?: ServiceProcess;
}

export interface RunningService {
  /** Starts the graceful stop for a reason other than a signal; once only. */
  stopFor: StopFor;
}

/**
 * What every service's entry does (gateway, subgraphs, backends): start; on failure say why and
 * exit 1; handle SIGTERM and SIGINT (drain, stop, exit 0; exit 1 if the stop failed; the same
 * signal twice exits 1 at once); then announce. An error nobody caught is logged and exits 1:
 * the process is in a state nobody planned for, so it does not try to drain.
 */
export async function runService(options: RunServiceOptions): Promise<RunningService | undefined> {
  const { logger, process: proc = process } = options;
  const crash = (error: unknown) => {
    logger.fatal({ err: error }, 'uncaught error: exiting');
    proc.exit(1);
  };
  proc.on('uncaughtException', crash);
  proc.on('unhandledRejection', crash);
  let started: StartedService;
  try {
    started = await options.start();
  } catch (error) {
    if (options.reportStartFailure) options.reportStartFailure(error);
    else logger.fatal(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    proc.exit(1);
    return undefined;
  }
  const stopFor = handleStopSignals({
    logger,
    process: proc,
    drain: () =>
      started.stop().then(
        () => {
          logger.info('stopped');
          return 0;
        },
        (error: unknown) => {
          logger.error({ err: error }, 'did not stop cleanly');
          return 1;
        },
      ),
  });
  started.announce();
  return { stopFor };
}
