import { readFileSync } from 'node:fs';
import { parseSupergraph, type Supergraph } from './parseSupergraph.js';

export type { Supergraph, SupergraphSubgraph } from './parseSupergraph.js';

/**
 * Reads a composed supergraph file and lists its subgraphs, so that config can be checked
 * against it before the gateway starts. Throws an `Error` naming the file when it cannot be read
 * or is not a supergraph.
 */
export function readSupergraph(file: string): Supergraph {
  let sdl: string;
  try {
    sdl = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the supergraph ${file}: ${(error as Error).message}`);
  }
  return parseSupergraph(sdl, file);
}
