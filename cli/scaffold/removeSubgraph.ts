import { existsSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CompositionError, composeSupergraphFile } from '../compose/composeSupergraphFile.js';
import { readSupergraphConfig } from '../compose/readSupergraphConfig.js';
import { writeAtomically } from '../fs/writeAtomically.js';
import { readRunningDev } from '../dev/runningDev.js';
import { findDependents } from './findDependents.js';
import { readRegistries, registryFiles, type Registries } from './registerSubgraph.js';
import { unregisterSubgraph } from './unregisterSubgraph.js';
import { runCodegen } from './runCodegen.js';

export interface RemoveSubgraphOptions {
  /** The repository root. */
  root: string;
  name: string;
  /** Say what would change, and change nothing. */
  dryRun: boolean;
  write(line: string): void;
}

const supergraphFile = 'schema/supergraph.graphql';

/**
 * Removes a subgraph: its entries in every registry, its SDL, its folder, its proto when nothing
 * else uses it, and its part of the supergraph. Refuses (throws, changing nothing) a name that is
 * not listed, the last subgraph, and a subgraph others rely on or without which the rest do not
 * compose. When anything fails midway, puts every file back as it was.
 */
export async function removeSubgraph(options: RemoveSubgraphOptions): Promise<void> {
  const { root, name, write } = options;
  const config = readSupergraphConfig(join(root, registryFiles.supergraphYaml));
  const entry = config.subgraphs.find((subgraph) => subgraph.name === name);
  if (!entry)
    throw new Error(
      `no subgraph named "${name}" in ${registryFiles.supergraphYaml} (it lists ${config.subgraphs.map((subgraph) => subgraph.name).join(', ')}).`,
    );
  const rest = config.subgraphs.filter((subgraph) => subgraph !== entry);
  if (rest.length === 0) throw new Error(`${name} is the only subgraph; a supergraph needs at least one.`);

  const dependents = findDependents(
    config.subgraphs.map((subgraph) => ({ name: subgraph.name, sdl: readFileSync(subgraph.schemaFile, 'utf8') })),
    name,
  );
  if (dependents.length > 0) {
    const lines = dependents.map((dependent) => `  ${dependent.name}: ${dependent.reasons.join('; ')}`);
    throw new Error(`other subgraphs depend on ${name}; change them first:\n${lines.join('\n')}\nNothing was removed.`);
  }
  let supergraph: string;
  try {
    supergraph = composeSupergraphFile({ ...config, subgraphs: rest }).text;
  } catch (error) {
    if (!(error instanceof CompositionError)) throw error;
    throw new Error(`without ${name} the other subgraphs do not compose:\n${error.message.replace(/\n\ncomposition failed.*$/s, '')}\nNothing was removed.`);
  }

  const registries = readRegistries(root);
  const unregistered = unregisterSubgraph(registries, name);
  const changed = (Object.keys(registryFiles) as Array<keyof Registries>).filter((key) => unregistered[key] !== registries[key]);
  const folder = join(root, 'subgraphs', name);
  const doomed = [entry.schemaFile, ...(existsSync(folder) ? filesUnder(folder) : []), ...unsharedProtos(root, name)].filter((file) => existsSync(file));
  const shown = (file: string) => relative(root, file);

  write(`${options.dryRun ? 'Would remove' : 'Removing'} ${name}:`);
  for (const file of doomed) write(`  delete ${shown(file)}`);
  for (const key of changed) write(`  edit   ${registryFiles[key]} (its entries)`);
  write(`  edit   ${supergraphFile} (composed without it)`);
  if (options.dryRun) {
    write('Nothing was changed (--dry-run).');
    return;
  }

  // Everything it touches, as it was, to put back if a step fails.
  const originals = new Map<string, string>();
  for (const key of changed) originals.set(join(root, registryFiles[key]), registries[key]);
  originals.set(join(root, supergraphFile), readFileSync(join(root, supergraphFile), 'utf8'));
  for (const file of doomed) originals.set(file, readFileSync(file, 'utf8'));
  try {
    // The list first: a running `portico dev` then stops the subgraph and never sees it listed
    // without its SDL.
    for (const key of changed) writeAtomically(join(root, registryFiles[key]), unregistered[key]);
    writeAtomically(join(root, supergraphFile), supergraph);
    for (const file of doomed) rmSync(file);
    rmSync(folder, { recursive: true, force: true });
    runCodegen(root);
  } catch (error) {
    for (const [file, text] of originals) {
      mkdirSync(dirname(file), { recursive: true });
      writeAtomically(file, text);
    }
    throw new Error(`${(error as Error).message}\nNothing was removed: every file is as it was.`);
  }
  write(`Removed ${name}; composed ${supergraphFile} without it and regenerated the types.`);
  const running = readRunningDev(root);
  if (running)
    write(`portico dev (process ${running.pid}) is running here: it stops ${name}, and its gateway at ${running.gatewayUrl} serves the supergraph without it.`);
  write('Commit the removed files and the changed registries, generated code included.');
}

// Protos this subgraph loads (`loadProto('x.proto')`) that no other code in the repository names.
function unsharedProtos(root: string, name: string): string[] {
  const folder = join(root, 'subgraphs', name);
  if (!existsSync(folder)) return [];
  const loaded = new Set(
    filesUnder(folder).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/loadProto(?:<[^>]*>)?\('([^']+\.proto)'\)/g)].map((match) => match[1]!)),
  );
  if (loaded.size === 0) return [];
  const elsewhere = ['subgraphs', 'backends', 'common']
    .map((dir) => join(root, dir))
    .filter((dir) => existsSync(dir))
    .flatMap(filesUnder)
    .filter((file) => !file.startsWith(`${folder}/`) && !file.includes('/generated/') && !file.includes('/node_modules/') && file.endsWith('.ts'))
    .map((file) => readFileSync(file, 'utf8'));
  return [...loaded].filter((proto) => !elsewhere.some((text) => text.includes(proto))).map((proto) => join(root, 'schema/protos', proto));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
