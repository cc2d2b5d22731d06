import { CompositionError, composeSupergraphFile } from '../compose/composeSupergraphFile.js';
import { readSupergraphConfig, type SubgraphEntry } from '../compose/readSupergraphConfig.js';
import { readOrEmpty } from '../fs/readOrEmpty.js';
import { writeAtomically } from '../fs/writeAtomically.js';

/** What changed in the subgraph list and SDL since the last supergraph that composed. */
export interface SubgraphChanges {
  /** Subgraphs whose SDL file changed. */
  changed: string[];
  /** Subgraphs newly listed in the config (`portico subgraph add`). */
  added: SubgraphEntry[];
  /** Subgraphs no longer listed (`portico subgraph remove`). */
  removed: string[];
}

export interface SchemaWatchOptions {
  /** The subgraph list, `schema/supergraph.yaml`. */
  configFile: string;
  /** The supergraph file the gateway serves and watches. */
  output: string;
  /** @default 500 */
  pollIntervalMs?: number;
  write(line: string): void;
  /**
   * Runs before the new supergraph is written, so that changed subgraphs can be restarted and
   * added ones started first: a subgraph that already serves the new SDL answers the old
   * supergraph's plans too, when the change adds to it.
   */
  beforeWrite?(changes: SubgraphChanges): Promise<void>;
  /** Runs once the supergraph without them is written: removed subgraphs can then be stopped. */
  afterWrite?(changes: SubgraphChanges): Promise<void>;
}

export interface SchemaWatch {
  close(): void;
}

/**
 * For `portico dev`: recomposes the supergraph whenever a subgraph's SDL file changes, or a
 * subgraph is added to or removed from the list, and replaces the supergraph file atomically,
 * so that the gateway, which watches it, reloads. Composition errors are printed and change
 * nothing; the next change that composes again says so.
 */
export function watchSubgraphSchemas(options: SchemaWatchOptions): SchemaWatch {
  const { write } = options;
  let listed = new Map(readSupergraphConfig(options.configFile).subgraphs.map((s) => [s.name, s]));
  const seen = new Map([...listed.values()].map((s) => [s.schemaFile, readOrEmpty(s.schemaFile)]));
  let failing = false;
  let unreadable = false;
  let queue = Promise.resolve();

  const recompose = async () => {
    let current: Map<string, SubgraphEntry>;
    try {
      current = new Map(readSupergraphConfig(options.configFile).subgraphs.map((s) => [s.name, s]));
    } catch (error) {
      // Being edited, or wrong: said once, then quiet until it reads again.
      if (!unreadable) write(`dev | ${(error as Error).message.split('\n').join(' ')}`);
      unreadable = true;
      return;
    }
    unreadable = false;
    const added = [...current.values()].filter((s) => !listed.has(s.name));
    const removed = [...listed.keys()].filter((name) => !current.has(name));
    const changed = [...current.values()].filter((s) => listed.has(s.name) && readOrEmpty(s.schemaFile) !== seen.get(s.schemaFile)).map((s) => s.name);
    if (added.length + removed.length + changed.length === 0) return;
    listed = current;
    for (const s of current.values()) seen.set(s.schemaFile, readOrEmpty(s.schemaFile));
    const what = describe({ changed, added, removed });

    let text: string;
    try {
      text = composeSupergraphFile(readSupergraphConfig(options.configFile)).text;
    } catch (error) {
      if (!(error instanceof CompositionError)) throw error;
      failing = true;
      write(`dev | ${what}, but the subgraphs no longer compose; the gateway keeps the previous supergraph:`);
      for (const line of error.message.split('\n')) write(`dev | ${line}`);
      return;
    }
    const again = failing ? ' The subgraphs compose again.' : '';
    failing = false;
    const changes = { changed, added, removed };
    if (text === readOrEmpty(options.output) && added.length + removed.length === 0) {
      if (again) write(`dev | ${what}:${again} The supergraph is as the gateway serves it already.`);
      return;
    }
    await options.beforeWrite?.(changes);
    if (text !== readOrEmpty(options.output)) {
      writeAtomically(options.output, text);
    }
    await options.afterWrite?.(changes);
    write(`dev | ${what}: recomposed ${options.output}; the gateway reloads it.${again}`);
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

function describe({ changed, added, removed }: { changed: string[]; added: SubgraphEntry[]; removed: string[] }): string {
  return [
    changed.length > 0 ? `${changed.join(', ')} changed` : '',
    added.length > 0 ? `${added.map((s) => s.name).join(', ')} added` : '',
    removed.length > 0 ? `${removed.join(', ')} removed` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
