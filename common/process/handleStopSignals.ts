import type { Logger } from '../createLogger.js';

/** The part of `process` a service's stop handling uses; tests pass an `EventEmitter` in its place. */
export type ServiceProcess = Pick<NodeJS.Process, 'on' | 'once' | 'exit' | 'send'>;

export interface StopSignalsOptions {
  logger: Logger;
  /** Lets the work in flight finish, then releases everything; resolves with the exit code. */
  drain(): Promise<number>;
  /** Runs just before the process exits on a second identical signal. */
  beforeForcedExit?(): void;
  /** @default process */
  process?: ServiceProcess;
}

/** Starts the drain for a reason other than a signal (a message from the cluster primary); once only. */
export type StopFor = (reason: string) => void;

/**
 * Drains on the first SIGTERM or SIGINT, then exits with the code `drain` gives; exits 1 at
 * once on the same signal twice. Also drains when the parent that started this process with an
 * IPC channel (`portico dev`, a cluster primary) goes away, so that a parent killed outright
 * leaves no service behind holding its port. Install it before announcing: whoever waits for
 * the announcement may signal at once, and a signal that arrives before a handler exists kills
 * the process instead of draining it.
 */
export function handleStopSignals({ logger, drain, beforeForcedExit, process: proc = process }: StopSignalsOptions): StopFor {
  let draining = false;
  const stopFor: StopFor = (reason) => {
    if (draining) return;
    draining = true;
    logger.info(`${reason}: draining requests in flight, then stopping`);
    void drain().then((code) => proc.exit(code));
  };
  // Ctrl-C under `portico dev` brings SIGINT from the terminal and SIGTERM from dev, and a
  // service manager may signal a cluster's workers as well as its primary: only the same signal
  // twice (Ctrl-C pressed again) cuts the drain short.
  const received = new Set<NodeJS.Signals>();
  const onSignal = (signal: NodeJS.Signals) => {
    if (received.has(signal)) {
      logger.warn(`${signal} again: exiting without waiting for requests in flight`);
      beforeForcedExit?.();
      proc.exit(1);
      return;
    }
    received.add(signal);
    stopFor(signal);
  };
  // `on`, not `once`: the listener must stay while draining, so that a second signal finds it
  // (and is counted) instead of ending the process with Node's default action mid-drain.
  proc.on('SIGTERM', onSignal);
  proc.on('SIGINT', onSignal);
  if (proc.send) proc.once('disconnect', () => stopFor('the parent process went away'));
  return stopFor;
}
