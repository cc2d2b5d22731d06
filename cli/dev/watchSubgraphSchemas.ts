import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { readSupergraphConfig } from '../compose/readSupergraphConfig.js';

/**
 * Watches the SDL files the supergraph config lists and calls `onChange` with the names of the
 * subgraphs whose SDL changed, once a burst of writes has settled. Returns a function that stops
 * watching. Subgraphs added to the config later are not watched: `portico dev` starts from the
 * config it read.
 */
export function watchSubgraphSchemas(configFile: string, onChange: (names: string[]) => void): () => void {
  const { subgraphs } = readSupergraphConfig(configFile);
  const folders = new Set(subgraphs.map((subgraph) => dirname(subgraph.schemaFile)));
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watchers = [...folders].map((folder) =>
    // Folders, not files: editors that save by replacing a file would end a watch on the file.
    watch(folder, (_event, file) => {
      const changed = subgraphs.find((subgraph) => dirname(subgraph.schemaFile) === folder && basename(subgraph.schemaFile) === file);
      if (!changed) return;
      pending.add(changed.name);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const names = [...pending];
        pending.clear();
        onChange(names);
      }, 200);
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
