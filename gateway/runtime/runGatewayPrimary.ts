import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry, Registry } from 'prom-client';
import { announceListening } from '../../common/announceListening.js';
import type { Logger } from '../../common/createLogger.js';
import { handleStopSignals } from '../../common/process/handleStopSignals.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { createMetricsListener } from '../metrics/createMetricsListener.js';
import { clusterMessage, GATEWAY_WORKER_ENV, isClusterMessage, type ClusterMessage } from './clusterMessages.js';
import { createRestartPolicy } from './createRestartPolicy.js';
import { logServing } from './logServing.js';
import { metricsUnavailable } from './metricsUnavailable.js';

// How long the primary waits, past the workers' own grace period, before it kills them.
const STOP_MARGIN_MS = 5000;

/**
 * `portico gateway --workers N` (N > 1): a Node cluster primary that serves nothing itself. It
 * forks N workers that build the gateway from the config it validated and share its port (Node
 * hands each new connection to the next worker in turn); announces the port once all N listen;
 * replaces a worker that dies, backing off and giving up when workers keep dying before they
 * listen (`createRestartPolicy`); on SIGTERM or SIGINT has every worker drain, then exits; and
 * answers the workers' `/metrics` with every worker's metrics, summed by prom-client's
 * `AggregatorRegistry`, or, with `metrics.listener: internal`, serves that sum on the internal
 * metrics listener itself.
 */
export function runGatewayPrimary(config: GatewayConfig, logger: Logger): void {
  const size = config.server.workers;
  warnAboutPerWorkerState(config, logger);
  // Structured clone, not JSON: metric values may be NaN or Infinity.
  cluster.setupPrimary({ serialization: 'advanced' });

  const policy = createRestartPolicy();
  // Its constructor has prom-client listen for the workers' answers to `clusterMetrics`.
  const aggregator = new AggregatorRegistry();
  let phase: 'starting' | 'serving' | 'stopping' = 'starting';
  let exitCode = 0;
  const alive = new Set<Worker>();
  const listening = new Map<Worker, number>();
  // The port each worker was told, which is the key of the listening socket the primary shares among workers.
  const toldPort = new Map<Worker, number>();
  let announcedPort: number | undefined;
  const pendingForks = new Set<NodeJS.Timeout>();
  let stopping: Promise<number> | undefined;
  let stopped: (() => void) | undefined;
  let metricsListener: Server | undefined;

  // Port 0: workers that all ask for port 0 share one socket on one free port. A replacement
  // asks for what the listening workers asked for; if none is left, for the announced port.
  const portForNewWorker = () => {
    for (const worker of listening.keys()) return toldPort.get(worker)!;
    return announcedPort ?? config.server.port;
  };

  /**
   * Every worker's metrics, summed, or why not. A worker that has not yet asked for its config
   * may not answer prom-client's collection, which would then wait 5 s to fail: refuse at once.
   */
  const collectMetrics = async (): Promise<string> => {
    for (const worker of alive) if (!toldPort.has(worker)) throw new Error(`worker ${worker.id} is starting`);
    return aggregator.clusterMetrics();
  };

  const fork = () => {
    const worker = cluster.fork({ [GATEWAY_WORKER_ENV]: '1' });
    alive.add(worker);
    worker.on('message', (message: unknown) => onMessage(worker, message));
    worker.once('exit', (code, signal) => onExit(worker, code, signal));
  };

  const onMessage = (worker: Worker, message: unknown) => {
    if (isClusterMessage(message, 'portico:config-request')) {
      const port = portForNewWorker();
      toldPort.set(worker, port);
      worker.send(clusterMessage('portico:config', { config: { ...config, server: { ...config.server, port } } }));
    } else if (isClusterMessage(message, 'portico:stop-listening')) {
      // Out of the rotation here first, then the worker closes its listener: see leaveClusterRotation.
      worker.disconnect();
    } else if (isClusterMessage(message, 'portico:worker-listening')) {
      onListening(worker, message);
    } else if (isClusterMessage(message, 'portico:metrics-request')) {
      collectMetrics().then(
        (text) => worker.isConnected() && worker.send(clusterMessage('portico:metrics-result', { id: message.id, text })),
        (error: Error) => worker.isConnected() && worker.send(clusterMessage('portico:metrics-result', { id: message.id, error: error.message })),
      );
    }
  };

  const onListening = (worker: Worker, { address, tls, subgraphs }: ClusterMessage<'portico:worker-listening'>) => {
    const pid = worker.process.pid;
    if (announcedPort !== undefined && address.port !== announcedPort) {
      logger.error(`worker ${worker.id} (pid ${pid}) listens on port ${address.port}, not the gateway's port ${announcedPort}: stopping it`);
      worker.process.kill('SIGTERM');
      return;
    }
    listening.set(worker, address.port);
    policy.workerListened();
    logger.info(`worker ${worker.id} (pid ${pid}) listening`);
    if (phase !== 'starting' || listening.size < size) return;
    phase = 'serving';
    announcedPort = address.port;
    void listenForMetrics().then((metricsAddress) => {
      if (phase !== 'serving') return;
      logServing(logger, config, { address, tls, subgraphs, metrics: metricsAddress });
      logger.info(`${size} workers serving port ${address.port}`);
      announceListening('gateway', address.port);
      if (metricsAddress) announceListening('gateway-metrics', metricsAddress.port);
    });
  };

  /** With `metrics.listener: internal`, the primary serves every worker's metrics, summed; null otherwise. */
  const listenForMetrics = async (): Promise<AddressInfo | null> => {
    if (!config.metrics.enabled || config.metrics.listener !== 'internal') return null;
    metricsListener = createMetricsListener(
      {
        contentType: Registry.PROMETHEUS_CONTENT_TYPE,
        render: () =>
          collectMetrics().catch((error: Error) => {
            throw metricsUnavailable(error.message);
          }),
      },
      logger,
    );
    const server = metricsListener;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.metrics.port, config.metrics.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      process.stderr.write(`portico gateway: ${(error as Error).message} (metrics.port)\n`);
      void stopWorkers(1).then((exit) => process.exit(exit));
      return null;
    }
    return server.address() as AddressInfo;
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    alive.delete(worker);
    const wasListening = listening.delete(worker);
    toldPort.delete(worker);
    const how = code === null ? `signal ${signal}` : `code ${code}`;
    if (phase === 'stopping') {
      // A worker still starting has no handler yet and ends by the signal itself: that is a stop too.
      if (code !== null && code !== 0) exitCode = 1;
      if (alive.size === 0) stopped?.();
      return;
    }
    if (phase === 'starting') {
      process.stderr.write(`portico gateway: worker ${worker.id} exited (${how}) before all ${size} workers were listening; stopping\n`);
      void stopWorkers(1).then((exit) => process.exit(exit));
      return;
    }
    const decision = policy.workerDied(wasListening);
    if (!decision.restart) {
      process.stderr.write(`portico gateway: workers keep dying at start (${decision.reason}; the last exited with ${how}); stopping\n`);
      void stopWorkers(1).then((exit) => process.exit(exit));
      return;
    }
    const when = decision.delayMs === 0 ? 'now' : `in ${decision.delayMs} ms`;
    logger.warn(`worker ${worker.id} (pid ${worker.process.pid}) exited unexpectedly (${how}); starting a replacement ${when}`);
    const timer = setTimeout(() => {
      pendingForks.delete(timer);
      if (phase !== 'stopping') fork();
    }, decision.delayMs);
    pendingForks.add(timer);
  };

  /** Tells every worker to drain, waits for them (killing stragglers), and gives the exit code. */
  const stopWorkers = (code: number): Promise<number> => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return stopping;
    phase = 'stopping';
    for (const timer of pendingForks) clearTimeout(timer);
    metricsListener?.close();
    metricsListener?.closeAllConnections();
    // A listening worker has its handlers: ask it to drain. One still starting has none and
    // nothing to drain: the signal ends it.
    for (const worker of alive) {
      if (listening.has(worker)) worker.send(clusterMessage('portico:drain', {}));
      else worker.process.kill('SIGTERM');
    }
    stopping = new Promise((resolve) => {
      if (alive.size === 0) {
        resolve(exitCode);
        return;
      }
      // A worker keeps its listener open for the drain delay, then gives its requests the grace period.
      const patienceMs = config.server.drainDelayMs + config.server.shutdownGracePeriodMs + STOP_MARGIN_MS;
      const deadline = setTimeout(() => {
        logger.error(`workers still running ${patienceMs} ms after the stop: killing them`);
        killAll();
        exitCode = 1;
      }, patienceMs);
      stopped = () => {
        clearTimeout(deadline);
        resolve(exitCode);
      };
    });
    return stopping;
  };

  const killAll = () => {
    for (const worker of alive) worker.process.kill('SIGKILL');
  };

  handleStopSignals({
    logger,
    drain: () =>
      stopWorkers(0).then((code) => {
        if (code === 0) logger.info('stopped');
        return code;
      }),
    // Workers never outlive the primary: the second signal takes them down with it.
    beforeForcedExit: killAll,
  });
  logger.info(`starting ${size} workers (Node cluster)`);
  for (let i = 0; i < size; i += 1) fork();
}

/** Says at start what is per worker and worth knowing before it surprises anyone. */
function warnAboutPerWorkerState(config: GatewayConfig, logger: Logger): void {
  const size = config.server.workers;
  if (config.rateLimit.enabled && config.rateLimit.store === 'memory') {
    logger.warn(
      `rateLimit.store is "memory": each of the ${size} workers keeps its own counters, so a client may get up to ${size} times its limits; set rateLimit.store: redis for exact limits`,
    );
  }
  const cpus = availableParallelism();
  if (size > cpus) logger.warn(`${size} workers on ${cpus} available CPUs: the extra workers compete for the same cores`);
}
