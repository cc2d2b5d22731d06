import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository (or installed package) root: where package.json, schema/ and bin/ are. Code runs
 * both from its TypeScript sources (tests) and compiled in dist/ (`portico`, containers), one
 * folder deeper, so a file outside the code is found from here, never relative to a module. The
 * root is the nearest folder with a package.json: dist/ has none.
 */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let at = from; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) throw new Error(`no package.json above ${from}`);
  }
}
