// Module hooks for `portico`: Portico's TypeScript sources are turned into JavaScript by
// esbuild as they load. tsx (registered beside these hooks) still resolves `./x.js` to
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
  // CommonJS (a `.ts` policy module under a package.json without "type": "module") stays tsx's.
  if (!pathname.endsWith('.ts') || pathname.includes('/node_modules/') || context.format === 'commonjs') return nextLoad(url, context);
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
