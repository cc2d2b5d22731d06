import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
