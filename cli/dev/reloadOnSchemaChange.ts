import { writeFileSync } from 'node:fs';
import { composeSupergraphFile } from '../compose/composeSupergraphFile.js';
import { readSupergraphConfig } from '../compose/readSupergraphConfig.js';
import { readOrEmpty } from '../fs/readOrEmpty.js';
import { watchSubgraphSchemas } from './watchSubgraphSchemas.js';

export interface ReloadOptions {
  /** The supergraph config, whose SDL files are watched. */
  configFile: string;
  /** The composed supergraph the gateway watches. */
  supergraphFile: string;
  /** Restarts a subgraph on its port, so it serves its new SDL. */
  restart(name: string): Promise<void>;
  write(line: string): void;
}

/**
 * When a subgraph's SDL is edited: recompose; if it composes, restart that subgraph and write
 * the supergraph, which the gateway (started with --watch) reloads. If it does not, say why and
 * keep everything as it runs. Changes are handled one burst at a time. Returns a stop function.
 */
export function reloadOnSchemaChange(options: ReloadOptions): () => void {
  const { write } = options;
  let queue = Promise.resolve();
  const handle = async (names: string[]) => {
    let text: string;
    try {
      text = composeSupergraphFile(readSupergraphConfig(options.configFile)).text;
    } catch (error) {
      write(`dev | ${names.join(', ')} changed, but the supergraph does not compose; the gateway keeps the last one that did:`);
      for (const line of (error as Error).message.split('\n')) write(`dev | ${line}`);
      return;
    }
    for (const name of names) {
      write(`dev | ${name}'s SDL changed: restarting it`);
      await options.restart(name);
    }
    if (readOrEmpty(options.supergraphFile) !== text) {
      writeFileSync(options.supergraphFile, text);
      write('dev | recomposed the supergraph; the gateway reloads it');
    }
  };
  return watchSubgraphSchemas(options.configFile, (names) => {
    queue = queue.then(() => handle(names)).catch((error: unknown) => write(`dev | reload failed: ${(error as Error).message}`));
  });
}
