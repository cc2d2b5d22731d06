import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Listed here rather than taken from the command's own `registryFiles`: a registry the command
// forgot would then go unchecked too. The composed supergraph is written by add and remove as well.
const registries = ['schema/supergraph.yaml', 'codegen.yml', 'docker-compose.yml', 'cli/dev/devServices.ts', 'schema/supergraph.graphql'];

/** The text of every file `portico subgraph add` registers a subgraph in, under `root`, as it is now. */
export function registrySnapshot(root: string): string[] {
  return registries.map((file) => readFileSync(join(root, file), 'utf8'));
}
