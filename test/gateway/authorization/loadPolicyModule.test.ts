import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledPath } from '../../../scripts/buildDist.js';

// Node loads the operator's module, as in production (the compiled loadPolicyModule, with no
// TypeScript loader), so each case runs in a Node process of its own rather than through Vitest,
// which would transpile any file itself.
const dir = mkdtempSync(join(tmpdir(), 'portico-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const loader = pathToFileURL(compiledPath('gateway/authorization/loadPolicyModule.ts')).href;

function load(name: string, text: string): { decided?: string[]; error?: { name: string; message: string } } {
  const file = join(dir, name);
  writeFileSync(file, text);
  const script = `const { loadPolicyModule } = await import(${JSON.stringify(loader)});
    try {
      const decide = await loadPolicyModule(${JSON.stringify(file)});
      console.log(JSON.stringify({ decided: [...(await decide({ claims: {}, policies: ['a', 'b'] }))] }));
    } catch (error) {
      console.log(JSON.stringify({ error: { name: error.constructor.name, message: error.message } }));
    }`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: process.cwd() });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as ReturnType<typeof load>;
}

describe('loadPolicyModule (no TypeScript loader)', () => {
  it('loads a JavaScript module anywhere on disk, ES module or CommonJS', () => {
    expect(load('esm.mjs', 'export default ({ policies }) => policies;\n')).toEqual({ decided: ['a', 'b'] });
    expect(load('commonjs.cjs', 'module.exports = ({ policies }) => policies.slice(1);\n')).toEqual({ decided: ['b'] });
  });

  it('loads a .ts module where Node strips types, and otherwise says what to do, as a config error', () => {
    const outcome = load('typed.ts', 'const decide = (input: { policies: string[] }): string[] => input.policies;\nexport default decide;\n');
    if ((process.features as { typescript?: unknown }).typescript) {
      expect(outcome).toEqual({ decided: ['a', 'b'] });
    } else {
      expect(outcome.error?.name).toBe('ConfigError');
      expect(outcome.error?.message).toBe(
        `Invalid gateway configuration: authorization.policyModule: ${join(dir, 'typed.ts')} could not be loaded: it is TypeScript, which Node ${process.version} does not load; ` +
          'compile it to a .js or .mjs module, or run Node 22.18 or later, which strips types',
      );
    }
  });

  it('refuses a module whose default export is not a function', () => {
    const outcome = load('nothing.mjs', 'export const decide = () => [];\n');
    expect(outcome.error?.name).toBe('ConfigError');
    expect(outcome.error?.message).toMatch(/must have a default export that is a function/);
  });
});
