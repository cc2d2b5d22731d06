import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../../common/createLogger.js';
import { readSupergraph } from './readSupergraph.js';

export interface WatchSupergraphOptions {
  /** The composed supergraph file. */
  path: string;
  /** Its SDL as read at start. */
  initialSdl: string;
  /** What the gateway does to every SDL before loading it. */
  prepare(sdl: string): string;
  logger: Logger;
}

/**
 * A development supergraph source: the file as read at start, then again each time it changes
 * (`portico dev` recomposes it when a subgraph's SDL is edited), so the gateway reloads without
 * a restart. A file that cannot be read or loaded is logged and the running supergraph kept.
 * The supergraph is still composed ahead of time; only the loading is repeated.
 */
export function watchSupergraphFile(options: WatchSupergraphOptions): SupergraphSdlHook {
  const { path, logger } = options;
  return async ({ update }) => {
    let current = options.initialSdl;
    let timer: NodeJS.Timeout | undefined;
    const reload = () => {
      let sdl: string;
      try {
        sdl = readSupergraph(path).sdl;
      } catch (error) {
        logger.warn(`supergraph not reloaded: ${(error as Error).message}`);
        return;
      }
      if (sdl === current) return;
      try {
        update(options.prepare(sdl));
        current = sdl;
        logger.info(`reloaded the supergraph from ${path}`);
      } catch (error) {
        logger.error({ err: error }, `supergraph not reloaded: the gateway could not load ${path}`);
      }
    };
    // The folder, not the file: writers that replace the file would end a watch on the file itself.
    const watcher = watch(dirname(path), (_event, name) => {
      if (name !== basename(path)) return;
      clearTimeout(timer);
      // Writes arrive in several events; load once they have settled.
      timer = setTimeout(reload, 100);
    });
    return {
      supergraphSdl: options.prepare(options.initialSdl),
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}
