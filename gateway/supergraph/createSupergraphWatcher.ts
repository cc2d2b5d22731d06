import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../../common/createLogger.js';
import type { Supergraph } from './parseSupergraph.js';

/** What `/ready` shows about the supergraph being served. */
export interface SupergraphStatus {
  /** The file or URL it comes from. */
  source: string;
  /** When the supergraph now served was loaded (ISO 8601). */
  loadedAt: string;
  /** Successful reloads since start. */
  reloads: number;
  /** The last reload that was refused, while the previous supergraph kept serving. */
  lastError?: { at: string; message: string };
}

export interface SupergraphWatcherOptions {
  /** A file path, checked by stat so that a rename over it is seen; or an http(s) URL, fetched each interval. */
  source: string;
  kind: 'file' | 'url';
  /** Reads and checks the supergraph at `source`; throws an `Error` that says why it cannot be used. */
  read: () => Promise<Supergraph>;
  /** The SDL read and checked at start. */
  initialSdl: string;
  /** Watch for changes (`supergraph.watch`). */
  watch: boolean;
  /** How often the source is checked (`supergraph.pollIntervalMs`). */
  pollIntervalMs: number;
  logger: Logger;
  /** Told of each reload attempt (with the new supergraph when it is served), for metrics and probes. */
  onReload?: (outcome: 'success' | 'failure', supergraph?: Supergraph) => void;
  /**
   * Turns the SDL read into what the gateway loads, at start and on every reload (Portico's
   * authorization accepts the security features it enforces).
   * @default the SDL unchanged
   */
  prepare?: (sdl: string) => string;
}

export interface SupergraphWatcher {
  /** For ApolloGateway's `supergraphSdl` option. */
  hook: SupergraphSdlHook;
  status(): SupergraphStatus;
}

/**
 * Serves the supergraph and, when asked to, swaps to its new content whenever it changes. A file
 * is polled (stat) rather than watched with inotify so that replacing it by a rename, as deploy
 * tools and Kubernetes config maps do, is seen too; a URL is fetched every interval. ApolloGateway swaps schemas
 * between requests: a request in flight finishes with the schema it started with. A new
 * supergraph that cannot be read or used is refused: the previous one keeps serving, the reason
 * is logged and shown by `status()`.
 */
export function createSupergraphWatcher(options: SupergraphWatcherOptions): SupergraphWatcher {
  const { source, logger, prepare = (sdl: string) => sdl } = options;
  let current = options.initialSdl;
  let reloading = false;
  const status: SupergraphStatus = { source, loadedAt: new Date().toISOString(), reloads: 0 };

  const refuse = (reason: string) => {
    // A source that stays broken (a URL down for a while) is reported once, not at every poll.
    if (status.lastError?.message === reason) return;
    status.lastError = { at: new Date().toISOString(), message: reason };
    logger.error({ supergraph: source }, `kept the previous supergraph: ${reason}`);
    options.onReload?.('failure');
  };

  const hook: SupergraphSdlHook = async ({ update }) => {
    const apply = (next: Supergraph) => {
      const sdl = next.sdl;
      if (sdl === current) return;
      try {
        update(prepare(sdl));
      } catch (error) {
        return refuse(`the new supergraph from ${source} cannot be used: ${(error as Error).message}`);
      }
      current = sdl;
      status.loadedAt = new Date().toISOString();
      status.reloads += 1;
      delete status.lastError;
      logger.info({ supergraph: source }, 'reloaded the supergraph');
      options.onReload?.('success', next);
    };
    // One reload at a time: a slow download must not be overtaken by the next poll.
    const reload = () => {
      if (reloading) return;
      reloading = true;
      options
        .read()
        .then(apply, (error: unknown) => refuse((error as Error).message))
        .finally(() => (reloading = false));
    };
    const onChange = (now: Stats, before: Stats) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) reload();
    };
    let timer: NodeJS.Timeout | undefined;
    if (options.watch && options.kind === 'file') watchFile(source, { interval: options.pollIntervalMs, persistent: false }, onChange);
    if (options.watch && options.kind === 'url') (timer = setInterval(reload, options.pollIntervalMs)).unref();
    return {
      supergraphSdl: prepare(current),
      cleanup: async () => {
        if (options.watch && options.kind === 'file') unwatchFile(source, onChange);
        clearInterval(timer);
      },
    };
  };

  return { hook, status: () => ({ ...status }) };
}
