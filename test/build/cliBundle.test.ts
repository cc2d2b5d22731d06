import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliEntry } from '../../scripts/bundleCli.js';
import { compiledPath } from '../../scripts/buildDist.js';

// The CLI's entry as `npm run build` wrote it (Vitest's global setup has just built dist/).
const bundle = join(process.cwd(), compiledPath(cliEntry));
const text = readFileSync(bundle, 'utf8');

describe("the CLI's entry", () => {
  it('is one module: no static import of a file of ours, commander inside it', () => {
    const staticImports = [...text.matchAll(/^\s*import\s[^;]*?from\s*["']([^"']+)["']/gm)].map((match) => match[1]);
    expect(staticImports.filter((specifier) => specifier!.startsWith('.'))).toEqual([]);
    expect(staticImports.filter((specifier) => !specifier!.startsWith('node:'))).toEqual([]);
    expect(text).toContain('node_modules/commander/');
  });

  it("leaves what commands load when they run outside it, each specifier pointing at that file's compiled output", () => {
    const loaded = [...text.matchAll(/\bimport\("(\.[^"]+)"\)/g)].map((match) => match[1]!);
    // The gateway and dev at least, and each of them a file the build wrote.
    expect(loaded).toContain('../gateway/runtime/runGateway.js');
    expect(loaded).toContain('./dev/runDev.js');
    for (const specifier of loaded) expect(existsSync(resolve(dirname(bundle), specifier)), specifier).toBe(true);
  });
});

describe('what a start loads of Node', () => {
  /** Whether loading `module` (after setting argv, as `portico <args>` would) loaded Node's `builtin`, as Node reports it. */
  function loads(module: string, args: string[], builtins: string[]): Record<string, boolean> {
    // Read as the process exits: commander ends it itself after `--version`.
    const script = `process.argv = [process.argv[0], 'portico', ...${JSON.stringify(args)}];
      process.on('exit', () => process.stderr.write('\\n' + JSON.stringify(Object.fromEntries(${JSON.stringify(builtins)}.map((name) => [name, process.moduleLoadList.includes('NativeModule ' + name)])))));
      await import(${JSON.stringify(pathToFileURL(module).href)});`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    return JSON.parse(run.stderr.trim().split('\n').at(-1)!) as Record<string, boolean>;
  }

  it('neither child_process nor cluster for a command, nor for the gateway bundle (only with workers)', () => {
    expect(loads(bundle, ['--version'], ['child_process', 'cluster'])).toEqual({ child_process: false, cluster: false });
    const gateway = join(process.cwd(), compiledPath('gateway/runtime/runGateway.ts'));
    expect(loads(gateway, [], ['child_process', 'cluster'])).toEqual({ child_process: false, cluster: false });
  });

  it('no node:http2 for the gateway bundle: its subgraph requests are HTTP/1.1 (buildDist.js leaves undici’s HTTP/2 client out)', () => {
    const gateway = join(process.cwd(), compiledPath('gateway/runtime/runGateway.ts'));
    expect(loads(gateway, [], ['http2'])).toEqual({ http2: false });
  });
});
