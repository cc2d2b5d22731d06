import { renameSync, writeFileSync } from 'node:fs';
import { CompositionError, composeSupergraphFile } from '../compose/composeSupergraphFile.js';
import { readSupergraphConfig } from '../compose/readSupergraphConfig.js';
import { readOrEmpty } from '../fs/readOrEmpty.js';

export interface SchemaWatchOptions {
  /** The subgraph list, `schema/supergraph.yaml`. */
  configFile: string;
  /** The supergraph file the gateway serves and watches. */
  output: string;
  /** @default 500 */
  pollIntervalMs?: number;
  write(line: string): void;
  /**
   * Runs before the new supergraph is written, with the subgraphs whose SDL changed, so that
   * they can be restarted first: a subgraph that already serves the new SDL answers the old
   * supergraph's plans too, when the change adds to it.
   */
  beforeWrite?(changed: string[]): Promise<void>;
}

export interface SchemaWatch {
  close(): void;
}

/**
 * For `portico dev`: recomposes the supergraph whenever a subgraph's SDL file changes and
 * replaces the supergraph file atomically, so that the gateway, which watches it, reloads.
 * Composition errors are printed and change nothing.
 */
export function watchSubgraphSchemas(options: SchemaWatchOptions): SchemaWatch {
  const { write } = options;
  const files = new Map(readSupergraphConfig(options.configFile).subgraphs.map((s) => [s.schemaFile, s.name]));
  const seen = new Map([...files.keys()].map((file) => [file, readOrEmpty(file)]));
  let queue = Promise.resolve();

  const recompose = async () => {
    const changed = [...files].filter(([file]) => readOrEmpty(file) !== seen.get(file)).map(([file, name]) => {
      seen.set(file, readOrEmpty(file));
      return name;
    });
    if (changed.length === 0) return;
    let text: string;
    try {
      text = composeSupergraphFile(readSupergraphConfig(options.configFile)).text;
    } catch (error) {
      if (!(error instanceof CompositionError)) throw error;
      write(`dev | ${changed.join(', ')} changed, but the subgraphs no longer compose; the gateway keeps the previous supergraph:`);
      for (const line of error.message.split('\n')) write(`dev | ${line}`);
      return;
    }
    if (text === readOrEmpty(options.output)) return;
    await options.beforeWrite?.(changed);
    writeFileSync(`${options.output}.next`, text);
    renameSync(`${options.output}.next`, options.output);
    write(`dev | ${changed.join(', ')} changed: recomposed ${options.output}; the gateway reloads it`);
  };

  // Content is compared rather than file times: a few small files, and no change is missed
  // however quickly it follows the last one.
  const timer = setInterval(() => {
    queue = queue.then(recompose).catch((error: unknown) => write(`dev | recomposing failed: ${(error as Error).message}`));
  }, options.pollIntervalMs ?? 500);
  timer.unref();
  return {
    close() {
      clearInterval(timer);
    },
  };
}

