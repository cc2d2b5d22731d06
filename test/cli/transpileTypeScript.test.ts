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

  it('leaves JavaScript, TypeScript in dependencies or in CommonJS scope, and builtins to the next loader', async () => {
    const next = vi.fn(async () => ({ format: 'module', source: 'next' }));
    // None of these is read by the hook, so they need not exist.
    const others: [string, object][] = [
      [url('bin/portico.js'), {}],
      ['file:///srv/app/node_modules/some-package/index.ts', {}],
      ['file:///etc/portico/policy.ts', { format: 'commonjs' }],
      ['node:fs', {}],
    ];
    for (const [other, context] of others) {
      await expect(transpile(other, context, next)).resolves.toEqual({ format: 'module', source: 'next' });
    }
    expect(next).toHaveBeenCalledTimes(others.length);
  });
});
