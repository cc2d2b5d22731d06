import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error: plain JavaScript (it runs on the module hooks thread, before any TypeScript loader)
import { load } from '../../bin/transpileTypeScript.js';

type Load = (url: string, context: object, next: (url: string, context: object) => unknown) => Promise<{ format: string; source: string; shortCircuit?: boolean }>;
const transpile = load as Load;
const url = (path: string) => pathToFileURL(new URL(`../../${path}`, import.meta.url).pathname).href;

describe('bin/transpileTypeScript.js (the load hook `portico` runs with)', () => {
  it('turns a source file into an ES module without keepNames wrappers, with an inline source map', async () => {
    const next = vi.fn();
    const { format, source, shortCircuit } = await transpile(url('gateway/http/createRequestHandler.ts'), {}, next);
    expect(next).not.toHaveBeenCalled();
    expect({ format, shortCircuit }).toEqual({ format: 'module', shortCircuit: true });
    expect(source).toMatch(/^function createRequestHandler\(options\) \{$/m);
    expect(source).toMatch(/export \{\s*createRequestHandler\s*\}/);
    // Types are gone, and no function is wrapped in esbuild's `__name(fn, "name")`.
    expect(source).not.toMatch(/\binterface RequestHandlerOptions\b/);
    expect(source).not.toContain('__name');
    expect(source).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
  });

  it('leaves JavaScript, TypeScript in dependencies, and builtins to the next loader', async () => {
    const next = vi.fn(async () => ({ format: 'module', source: 'next' }));
    // None of these is read by the hook, so they need not exist.
    const others = [url('bin/portico.js'), 'file:///srv/app/node_modules/some-package/index.ts', 'node:fs'];
    for (const other of others) {
      await expect(transpile(other, {}, next)).resolves.toEqual({ format: 'module', source: 'next' });
    }
    expect(next).toHaveBeenCalledTimes(others.length);
  });

  it('loads an operator\'s .ts policy module outside any package, as `portico` does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-policy-'));
    writeFileSync(join(dir, 'esm.ts'), 'const decide = (input: { policies: string[] }): string[] => input.policies;\nexport default decide;\n');
    writeFileSync(join(dir, 'commonjs.ts'), 'const decide = (input: { policies: string[] }): string[] => input.policies.slice(1);\nmodule.exports = decide;\n');
    const script = `const { loadPolicyModule } = await import(${JSON.stringify(url('gateway/authorization/loadPolicyModule.ts'))});
      for (const name of ['esm.ts', 'commonjs.ts']) {
        const decide = await loadPolicyModule(${JSON.stringify(dir)} + '/' + name);
        console.log(name, JSON.stringify([...decide({ claims: {}, policies: ['a', 'b'] })]));
      }`;
    const run = spawnSync(process.execPath, ['--import', new URL('../../bin/registerLoaders.js', import.meta.url).pathname, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('esm.ts ["a","b"]\ncommonjs.ts ["b"]\n');
  });
});
