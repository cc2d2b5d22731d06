import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/projectRoot.js';
import { compiledPath } from '../../scripts/buildDist.js';

describe('projectRoot', () => {
  it('is the repository root from the sources', () => {
    expect(projectRoot).toBe(resolve('.'));
    expect(existsSync(join(projectRoot, 'schema', 'supergraph.graphql'))).toBe(true);
  });

  it('is the same root from the compiled code in dist/, one folder deeper', () => {
    const compiled = pathToFileURL(resolve(compiledPath('common/projectRoot.ts'))).href;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `console.log((await import(${JSON.stringify(compiled)})).projectRoot)`], {
      encoding: 'utf8',
      cwd: '/',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(resolve('.'));
  });
});
