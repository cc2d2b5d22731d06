import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../../common/createLogger.js';
import { readSupergraph, type Supergraph } from './readSupergraph.js';

/** What `/ready` shows about the supergraph being served. */
export interface SupergraphStatus {
  path: string;
  /** When the supergraph now served was loaded (ISO 8601). */
  loadedAt: string;
  /** Successful reloads since start. */
  reloads: number;
  /** The last reload that was refused, while the previous supergraph kept serving. */
  lastError?: { at: string; message: string };
}

export interface SupergraphWatcherOptions {
  path: string;
  /** The SDL read and checked at start. */
  initialSdl: string;
  /** Watch the file for changes (`supergraph.watch`). */
  watch: boolean;
  /** How often the file is checked (`supergraph.pollIntervalMs`). */
  pollIntervalMs: number;
  logger: Logger;
  /** Told of each reload attempt (with the new supergraph when it is served), for metrics and probes. */
  onReload?: (outcome: 'success' | 'failure', supergraph?: Supergraph) => void;
}

export interface SupergraphWatcher {
  /** For ApolloGateway's `supergraphSdl` option. */
  hook: SupergraphSdlHook;
  status(): SupergraphStatus;
}

/**
 * Serves the supergraph file and, when asked to, swaps to its new content whenever it changes.
 * The file is polled (stat) rather than watched with inotify so that replacing it by a rename,
 * as deploy tools and Kubernetes config maps do, is seen too. ApolloGateway swaps schemas
 * between requests: a request in flight finishes with the schema it started with. A new
 * supergraph that cannot be read or used is refused: the previous one keeps serving, the reason
 * is logged and shown by `status()`.
 */
export function createSupergraphWatcher(options: SupergraphWatcherOptions): SupergraphWatcher {
  const { path, logger } = options;
  let current = options.initialSdl;
  const status: SupergraphStatus = { path, loadedAt: new Date().toISOString(), reloads: 0 };

  const refuse = (reason: string) => {
    status.lastError = { at: new Date().toISOString(), message: reason };
    logger.error({ supergraph: path }, `kept the previous supergraph: ${reason}`);
    options.onReload?.('failure');
  };

  const hook: SupergraphSdlHook = async ({ update }) => {
    const reload = () => {
      let next: Supergraph;
      try {
        next = readSupergraph(path);
      } catch (error) {
        return refuse((error as Error).message);
      }
      const sdl = next.sdl;
      if (sdl === current) return;
      try {
        update(sdl);
      } catch (error) {
        return refuse(`the new supergraph in ${path} cannot be used: ${(error as Error).message}`);
      }
      current = sdl;
      status.loadedAt = new Date().toISOString();
      status.reloads += 1;
      delete status.lastError;
      logger.info({ supergraph: path }, 'reloaded the supergraph');
      options.onReload?.('success', next);
    };
    const onChange = (now: Stats, before: Stats) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) reload();
    };
    if (options.watch) watchFile(path, { interval: options.pollIntervalMs, persistent: false }, onChange);
    return {
      supergraphSdl: current,
      cleanup: async () => {
        if (options.watch) unwatchFile(path, onChange);
      },
    };
  };

  return { hook, status: () => ({ ...status }) };
}
