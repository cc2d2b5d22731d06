import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Folders that hold no source of the repository's own. */
const skipped = new Set(['node_modules', 'dist', '.git']);

/**
 * Type-checks, with the repository's own tsconfig (strict), the TypeScript files of `copy` that
 * differ from `source` or are new there (what a command generated or edited), plus the files that
 * import one of them; tsc follows their imports as usual. Throws with tsc's output when a check
 * fails, or when nothing changed (a check of nothing would prove nothing).
 *
 * The files no command touched are the repository's as committed, which `npm run typecheck`
 * already checks: checking the whole copy again costs a minute and proves nothing more.
 * Returns the files given to tsc, relative to `copy`.
 */
export function typeCheckChanged(copy: string, source: string): string[] {
  const files = typeScriptFiles(copy);
  const changed = new Set(
    files.filter((file) => !existsSync(join(source, file)) || readFileSync(join(source, file), 'utf8') !== readFileSync(join(copy, file), 'utf8')),
  );
  if (changed.size === 0) throw new Error(`typeCheckChanged: no TypeScript file of ${copy} differs from ${source}`);
  const importers = files.filter((file) => !changed.has(file) && relativeImports(copy, file).some((target) => changed.has(target)));
  const checked = [...changed, ...importers].sort();
  const config = 'tsconfig.changed.json';
  // `include: []`, or the base's would be inherited and the whole repository checked again.
  writeFileSync(join(copy, config), JSON.stringify({ extends: './tsconfig.json', include: [], files: checked }));
  try {
    execFileSync(process.execPath, [join(copy, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(copy, config)], { cwd: copy, stdio: 'pipe' });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`tsc failed on ${checked.join(', ')}:\n${output || (error as Error).message}`);
  }
  return checked;
}

/** Every `.ts` file below `root`, relative to it, outside node_modules, dist/ and .git. */
function typeScriptFiles(root: string, folder = ''): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return skipped.has(entry.name) ? [] : typeScriptFiles(root, path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The files `file` imports by a relative specifier (`./x.js` is `./x.ts`), relative to `root`. */
function relativeImports(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => (match[1] ?? match[2])!);
  return specifiers.map((specifier) => relative(root, resolve(root, dirname(file), specifier.replace(/\.js$/, '.ts'))));
}
