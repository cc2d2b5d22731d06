import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * A scratch copy of this repository's files (tracked, and new ones not yet committed), sharing
 * node_modules through a symlink and built, so a test can run commands that change the repository.
 * Returns the copy's path and a function that removes it.
 */
export function copyRepository(): { root: string; remove(): void } {
  const source = resolve('.');
  const root = mkdtempSync(join(tmpdir(), 'portico-copy-'));
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: source, encoding: 'utf8' });
  for (const file of listed.split('\0').filter(Boolean)) {
    // A file deleted in the working tree but still tracked is not part of the copy.
    if (!existsSync(join(source, file))) continue;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(source, file), join(root, file));
  }
  symlinkSync(join(source, 'node_modules'), join(root, 'node_modules'), 'dir');
  // dist/ is ignored by git. The tests' global setup has just built this one's from the same
  // sources, so the copy takes it and its build record: the build (as `npm install` would run it)
  // then finds nothing changed, where compiling again cost ~6 s of CPU per copy. Were the copy's
  // sources or packages to differ, it would compile.
  if (existsSync(join(source, 'dist'))) cpSync(join(source, 'dist'), join(root, 'dist'), { recursive: true });
  execFileSync(process.execPath, ['scripts/buildDist.js'], { cwd: root, stdio: 'ignore' });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
