import { readFile } from 'node:fs/promises';

/**
 * Reads a composed supergraph file (`supergraph.path`). Throws an `Error` naming the file when it
 * cannot be read; whether it is a supergraph is Apollo Gateway's to check, when it loads it.
 */
export async function readSupergraph(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the supergraph ${file}: ${(error as Error).message}`);
  }
}
