import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from '../../common/createLogger.js';
import { boundMessage } from '../errors/boundMessage.js';
import { explainSupergraphError } from './explainSupergraphError.js';

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

export interface SupergraphManagerOptions {
  /** A file path, checked by stat so that a rename over it is seen; or an http(s) URL, fetched each interval. */
  source: string;
  kind: 'file' | 'url';
  /**
   * Reads the SDL at `source` within a deadline; throws an `Error` that says why it cannot be read.
   * One that never settled would stop the reloads for good: they run one at a time.
   */
  read: () => Promise<string>;
  /** The SDL read at start (read before Apollo Gateway is built, so that a missing file is a config error). */
  initialSdl: string;
  /** Watch for changes (`supergraph.watch`). */
  watch: boolean;
  /** How often the source is checked (`supergraph.pollIntervalMs`). */
  pollIntervalMs: number;
  logger: Logger;
  /** Told of each reload attempt, for the metrics. */
  onReload?: (outcome: 'success' | 'failure') => void;
  /**
   * Turns the SDL read into what Apollo Gateway loads, at start and on every reload.
   * @default the SDL unchanged
   */
  prepare?: (sdl: string) => string;
  /**
   * Called right after Apollo Gateway took a reloaded supergraph; throws to refuse it (what Portico
   * derives from it cannot be built), and the manager hands Apollo Gateway the previous one back.
   * @default accepts every supergraph Apollo Gateway accepts
   */
  confirm?: () => void;
}

export interface PorticoSupergraphManager extends SupergraphManager {
  status(): SupergraphStatus;
}

/**
 * Apollo Gateway's supergraph manager for a file or URL. Apollo Gateway validates what it is
 * given and swaps schemas between requests: a request in flight finishes with the schema it
 * started with. When asked to, the manager hands it the source's new content whenever it changes:
 * a file is polled (stat) rather than watched with inotify so that replacing it by a rename, as
 * deploy tools and Kubernetes config maps do, is seen too; a URL is fetched every interval. A new
 * supergraph that cannot be read or used is refused: the previous one keeps serving, the reason
 * is logged (once while it stays the same) and shown by `status()`.
 */
export function createSupergraphManager(options: SupergraphManagerOptions): PorticoSupergraphManager {
  const { source, logger, prepare = (sdl: string) => sdl } = options;
  let current = options.initialSdl;
  // The last text refused: a URL that keeps serving it is not loaded (twice: it, then the one
  // served, back) at every poll.
  let refused: string | undefined;
  let reloading = false;
  const status: SupergraphStatus = { source, loadedAt: new Date().toISOString(), reloads: 0 };

  const refuse = (why: string) => {
    // Whatever the supergraph made the reason say (a name of any length), one log line is bounded.
    const reason = boundMessage(why);
    // A source that stays broken (a URL down for a while) is reported once, not at every poll.
    if (status.lastError?.message === reason) return;
    status.lastError = { at: new Date().toISOString(), message: reason };
    logger.error({ supergraph: source }, `kept the previous supergraph: ${reason}`);
    options.onReload?.('failure');
  };

  return {
    status: () => ({ ...status }),
    async initialize({ update }) {
      const apply = (sdl: string) => {
        if (sdl === current) {
          // The source serves the running supergraph again (a bad file replaced by the good one):
          // nothing to reload, and nothing refused any more, so the same mistake made again is
          // refused (and reported) again.
          refused = undefined;
          if (status.lastError) {
            delete status.lastError;
            logger.info({ supergraph: source }, 'the supergraph source is back to the supergraph served');
          }
          return;
        }
        if (sdl === refused) return;
        refused = sdl;
        try {
          update(prepare(sdl));
        } catch (error) {
          return refuse(`the new supergraph from ${source} cannot be used: ${explainSupergraphError(error, source)}`);
        }
        try {
          options.confirm?.();
        } catch (error) {
          // Apollo Gateway took it: give it back the one that was served. Synchronous, as the
          // swap was, so no request ever sees the refused one. A gateway that is stopping takes
          // none, and serves nothing more either.
          try {
            update(prepare(current));
          } catch {
            // Stopping: nothing to serve.
          }
          return refuse(`the new supergraph from ${source} cannot be used: ${(error as Error).message}`);
        }
        current = sdl;
        refused = undefined;
        status.loadedAt = new Date().toISOString();
        status.reloads += 1;
        delete status.lastError;
        logger.info({ supergraph: source }, 'reloaded the supergraph');
        options.onReload?.('success');
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
    },
  };
}
