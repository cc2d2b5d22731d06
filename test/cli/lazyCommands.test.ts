import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledPath } from '../../scripts/buildDist.js';

// `portico --help` and `portico token` answer in a few tenths of a second because each command
// loads what it does only when it runs. The dependencies a compiled module loads, as Node loads
// them (not through Vitest), read from the CommonJS module cache: every dependency of the
// gateway (Apollo's packages, undici, jsonwebtoken, ajv, ...) is CommonJS.
function packagesLoadedBy(source: string, then = ''): string[] {
  const url = pathToFileURL(resolve(compiledPath(source))).href;
  const script = `const module = await import(${JSON.stringify(url)}); ${then}
    const { createRequire } = await import('node:module');
    const loaded = Object.keys(createRequire(import.meta.url)('node:module')._cache);
    const names = loaded.map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file)?.[1]).filter(Boolean);
    console.log(JSON.stringify([...new Set(names)].sort()));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as string[];
}

describe('the portico command', () => {
  it('loads no dependency but commander to register its commands (what --help needs)', () => {
    expect(packagesLoadedBy('cli/registerCommands.ts', 'module.registerCommands(new (await import("commander")).Command("portico"));')).toEqual(['commander']);
  });

  it('loads jsonwebtoken for `token` only when it mints', () => {
    expect(packagesLoadedBy('cli/commands/token.ts')).toEqual(['commander']);
    expect(packagesLoadedBy('cli/token/mintToken.ts')).toContain('jsonwebtoken');
  });
});
