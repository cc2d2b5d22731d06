// Module hooks for `portico` (registered by registerLoaders.js): TypeScript is turned into
// JavaScript by esbuild as it loads. tsx (registered beside these hooks) still resolves `./x.js` to
// `./x.ts`; this load hook replaces its transform only to leave out esbuild's `keepNames`,
// which wraps every function a request creates in an `Object.defineProperty` call (about
// 5 % of the gateway's CPU per request). Names stay as JavaScript infers them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

// Plain JSON: a comment in tsconfig.json would stop `portico` from starting.
const tsconfig = JSON.parse(await readFile(new URL('../tsconfig.json', import.meta.url), 'utf8'));

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const { pathname } = new URL(url);
  // Every `.ts` outside node_modules loads as an ES module, whatever package.json is near it: an
  // operator's policy module in /etc, say, has no package.json of its own (esbuild wraps one
  // written with `module.exports`, so it still has a default export).
  if (!pathname.endsWith('.ts') || pathname.includes('/node_modules/')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcesContent: false,
    sourcefile: file,
    tsconfigRaw: { compilerOptions: tsconfig.compilerOptions },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
