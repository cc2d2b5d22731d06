import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDist, buildScripts, bundleImportName, compiledPath, sourceFolders } from '../../scripts/buildDist.js';

// A scratch repository with a few sources, built the way `npm run build` builds this one.
let root: string;
function write(file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}
/** The modules the generated gateway entry imports beside its bundle, as they are. */
function copyBundleLoader(): void {
  for (const file of ['gateway/runtime/loadCachedBundle.ts', 'gateway/runtime/limitHeapGrowth.ts']) write(file, readFileSync(file, 'utf8'));
}
function scratch(): void {
  root = mkdtempSync(join(tmpdir(), 'portico-build-'));
  write('package.json', '{ "type": "module" }\n');
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'dir');
  write(
    'cli/hello.ts',
    "import { greet } from '../common/greet.js';\nimport type { Name } from '../common/greet.js';\nconst who: Name = 'portico';\nconsole.log(greet(who));\n",
  );
  write('common/greet.ts', "export type Name = string;\nexport const greet = (name: Name): string => ['hello', name].map((word) => word).join(' ');\n");
  write('common/types.d.ts', 'export interface Nothing {}\n');
  write('gateway/explorer/client/page.ts', 'document.title = "browser code";\n');
  write('gateway/explorer/generated/explorer.js', 'bundled();\n');
  write('test/some.test.ts', 'export {};\n');
}
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildDist (npm run build)', () => {
  it('compiles each runtime source to dist/ at the same path, as ES modules that run with plain node', async () => {
    scratch();
    const result = await buildDist({ root });
    expect(result).toMatchObject({ files: 4, written: 4, removed: 0 });
    const hello = readFileSync(join(root, 'dist/cli/hello.js'), 'utf8');
    // Types gone, the `.js` specifier kept, no esbuild `__name` wrappers (keepNames costs CPU per request).
    expect(hello).toContain('from "../common/greet.js"');
    expect(hello).not.toMatch(/\bName\b|__name/);
    expect(readFileSync(join(root, 'dist/common/greet.js'), 'utf8')).not.toContain('__name');
    expect(hello).toMatch(/\/\/# sourceMappingURL=hello\.js\.map\n$/);
    expect(JSON.parse(readFileSync(join(root, 'dist/cli/hello.js.map'), 'utf8')).sources).toEqual(['../../cli/hello.ts']);
    const run = spawnSync(process.execPath, [join(root, 'dist/cli/hello.js')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('hello portico\n');
  });

  it("bundles the CLI's entry with what it imports statically; what it imports when it runs stays a file of its own", async () => {
    scratch();
    write(
      'cli/main.ts',
      "import { greet } from '../common/greet.js';\nconsole.log(greet('cli'));\nconst { later } = await import('./commands/later.js');\nconsole.log(later);\n",
    );
    write('cli/commands/later.ts', "export const later = 'loaded when run';\n");
    await buildDist({ root });
    const main = readFileSync(join(root, 'dist/cli/main.js'), 'utf8');
    expect(main).not.toContain('from "../common/greet.js"');
    expect(main).toContain('import("./commands/later.js")');
    expect(existsSync(join(root, 'dist/cli/commands/later.js'))).toBe(true);
    const run = spawnSync(process.execPath, [join(root, 'dist/cli/main.js')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('hello cli\nloaded when run\n');
  });

  it("counts every script of the build's own among what a build's reuse depends on (an edited script builds again)", () => {
    // The scripts buildDist.js imports, and those they import, all in buildScripts.
    const imported = new Set<string>();
    const visit = (script: string) => {
      if (imported.has(script)) return;
      imported.add(script);
      const text = readFileSync(join('scripts', script), 'utf8');
      for (const [, next] of text.matchAll(/^import [^;]*? from '\.\/([\w.]+\.js)';$/gm)) visit(next!);
    };
    visit('buildDist.js');
    expect([...imported].sort()).toEqual([...buildScripts].sort());
  });

  it('leaves out declarations, browser code, tests and files that are not TypeScript', async () => {
    scratch();
    await buildDist({ root });
    for (const absent of [
      'dist/common/types.js',
      'dist/common/types.d.js',
      'dist/gateway/explorer/client/page.js',
      'dist/gateway/explorer/generated/explorer.js',
      'dist/test/some.test.js',
    ]) {
      expect(existsSync(join(root, absent)), absent).toBe(false);
    }
  });

  it('writes only what changed, and removes what has no source any more', async () => {
    scratch();
    await buildDist({ root });
    write('cli/keep.ts', 'export const keep = 1;\n');
    await buildDist({ root });
    const untouched = statSync(join(root, 'dist/cli/keep.js')).mtimeMs;
    await new Promise((done) => setTimeout(done, 20));
    write('cli/hello.ts', "console.log('changed');\n");
    write('cli/extra.ts', 'export const extra = 1;\n');
    rmSync(join(root, 'common/greet.ts'));
    const result = await buildDist({ root });
    expect(result).toMatchObject({ files: 6, written: 4, removed: 2 });
    expect(readFileSync(join(root, 'dist/cli/hello.js'), 'utf8')).toContain('changed');
    expect(existsSync(join(root, 'dist/cli/extra.js'))).toBe(true);
    expect(existsSync(join(root, 'dist/common'))).toBe(false);
    expect(statSync(join(root, 'dist/cli/keep.js')).mtimeMs, 'an unchanged file is not rewritten').toBe(untouched);
    expect(await buildDist({ root })).toMatchObject({ written: 0, removed: 0 });
  });

  // Three builds, two of them parsing the bundle with TypeScript (routeDynamicImports), and three
  // starts: the timeout allows for a machine busy with other test files.
  it("bundles the gateway's entry with the packages it imports, reads files from the root, and keeps a code cache once it serves", {
    timeout: 60_000,
  }, async () => {
    scratch();
    write(
      'gateway/runtime/runGateway.ts',
      [
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'node:path';",
        "import { parse } from 'graphql';",
        "import { projectRoot } from '../../common/projectRoot.js';",
        "import { greet } from '../../common/greet.js';",
        "const { type } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { type: string };",
        'export async function runGateway(options: { onServing?: () => void }): Promise<void> {',
        "  const later = await import('./later.js');",
        // Left an import() by esbuild (Node's own module): the build renames it (routeDynamicImports).
        "  if ((await import('node:os')).EOL !== '\\n') throw new Error('not a POSIX EOL');",
        '  console.log(greet(parse(`{ ${type} }`).definitions.length + later.word));',
        '  options.onServing?.();',
        '}',
        '',
      ].join('\n'),
    );
    write('gateway/runtime/later.ts', "export const word = ' later';\n");
    write('common/projectRoot.ts', readFileSync('common/projectRoot.ts', 'utf8'));
    copyBundleLoader();
    await buildDist({ root });
    const runtime = join(root, 'dist/gateway/runtime');
    // The entry runs the bundle, named after its content; graphql is inside it, not imported.
    const entry = readFileSync(join(runtime, 'runGateway.js'), 'utf8');
    const bundle = /"\.\/(runGateway-\w+\.cjs)"/.exec(entry)?.[1];
    expect(bundle).toBeDefined();
    expect(readFileSync(join(runtime, bundle!), 'utf8')).not.toMatch(/require\("graphql"\)/);
    expect(readFileSync(join(runtime, bundle!), 'utf8')).toContain('$imprt("node:os")');
    expect(readFileSync(join(runtime, bundle!), 'utf8')).not.toContain('import(');
    // Run from elsewhere: the root is still found from the bundle.
    const start = () =>
      spawnSync(process.execPath, ['--input-type=module', '--eval', `(await import(${JSON.stringify(join(runtime, 'runGateway.js'))})).runGateway({})`], {
        encoding: 'utf8',
        cwd: tmpdir(),
        // The cache beside the bundle (NODE_COMPILE_CACHE would move it).
        env: { ...process.env, NODE_COMPILE_CACHE: '' },
      });
    const first = start();
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('hello 1 later\n');
    const cache = join(runtime, `${bundle}.${process.version}-${process.arch}.cache`);
    // Kept on every Node, Node 20 too: the bundle has no `import()` of its own (see
    // routeDynamicImports); the second start takes it (V8 accepted it: it is not written again).
    expect(existsSync(cache)).toBe(true);
    const written = statSync(cache).mtimeMs;
    const second = start();
    expect(second.stdout).toBe('hello 1 later\n');
    expect(statSync(cache).mtimeMs).toBe(written);
    // Rebuilt unchanged: nothing written, and neither the bundle nor its cache is taken for an orphan.
    expect(await buildDist({ root })).toMatchObject({ written: 0, removed: 0 });
    expect(existsSync(cache)).toBe(true);
    // Changed: a bundle of another name, and the old one's cache goes with it.
    write('gateway/runtime/later.ts', "export const word = ' changed';\n");
    await buildDist({ root });
    expect(existsSync(cache)).toBe(false);
    expect(start().stdout).toBe('hello 1 changed\n');
  });

  // Was an end-to-end test building a copy of this repository twice (16 s of CPU); the reuse is
  // the same code for a bundle of a few lines, which has an import() renamed like the gateway's.
  it('does not take a bundle cut short (an interrupted write) as the one already built: the next build writes it whole', async () => {
    scratch();
    write('gateway/runtime/runGateway.ts', "export async function runGateway(): Promise<string> {\n  return (await import('node:os')).EOL;\n}\n");
    copyBundleLoader();
    await buildDist({ root });
    const outputs = (JSON.parse(readFileSync(join(root, 'dist/.build.json'), 'utf8')) as { outputs: Record<string, string> }).outputs;
    const bundle = join(root, Object.keys(outputs).find((file) => file.endsWith('.cjs')) ?? '');
    const whole = readFileSync(bundle);
    // Cut after a renamed import() call: it still looks like a bundle whose calls are renamed.
    expect(whole.indexOf(bundleImportName)).toBeGreaterThan(0);
    const cut = whole.subarray(0, whole.indexOf(bundleImportName) + bundleImportName.length + 10);
    expect(cut.length).toBeLessThan(whole.length);
    writeFileSync(bundle, cut);
    expect(await buildDist({ root })).toMatchObject({ reused: false, written: 1 });
    expect(readFileSync(bundle).equals(whole)).toBe(true);
  });

  it('compiles nothing when nothing it read changed, and again when a source, a bundled file or an output did', async () => {
    scratch();
    write('gateway/runtime/runGateway.ts', "import { word } from '../../vendor/word.js';\nexport function runGateway(): string {\n  return word;\n}\n");
    write('vendor/word.js', "export const word = 'first';\n");
    copyBundleLoader();
    const bundleText = () => {
      const name = /"\.\/(runGateway-\w+\.cjs)"/.exec(readFileSync(join(root, 'dist/gateway/runtime/runGateway.js'), 'utf8'))![1]!;
      return readFileSync(join(root, 'dist/gateway/runtime', name), 'utf8');
    };
    const first = await buildDist({ root });
    expect(first).toMatchObject({ reused: false });
    expect(await buildDist({ root })).toMatchObject({ files: first.files, written: 0, removed: 0, reused: true });

    // A file the gateway bundle read outside the source folders.
    write('vendor/word.js', "export const word = 'second';\n");
    expect(await buildDist({ root })).toMatchObject({ reused: false });
    expect(bundleText()).toContain('second');
    expect(await buildDist({ root })).toMatchObject({ reused: true });

    // A source changed, added, removed.
    write('common/greet.ts', 'export const greet = (name: string): string => `hi ${name}`;\n');
    expect(await buildDist({ root })).toMatchObject({ reused: false, written: 2 });
    write('cli/extra.ts', 'export const extra = 1;\n');
    expect(await buildDist({ root })).toMatchObject({ reused: false });
    expect(existsSync(join(root, 'dist/cli/extra.js'))).toBe(true);
    rmSync(join(root, 'cli/extra.ts'));
    expect(await buildDist({ root })).toMatchObject({ reused: false, removed: 2 });

    // An output edited or removed by hand, or a file in dist/ that no build wrote.
    writeFileSync(join(root, 'dist/cli/hello.js'), 'edited by hand\n');
    expect(await buildDist({ root })).toMatchObject({ reused: false, written: 1 });
    expect(readFileSync(join(root, 'dist/cli/hello.js'), 'utf8')).toContain('greet');
    rmSync(join(root, 'dist/common/greet.js'));
    expect(await buildDist({ root })).toMatchObject({ reused: false, written: 1 });
    write('dist/cli/stray.js', 'stray();\n');
    expect(await buildDist({ root })).toMatchObject({ reused: false, removed: 1 });
    expect(existsSync(join(root, 'dist/cli/stray.js'))).toBe(false);
    expect(await buildDist({ root })).toMatchObject({ written: 0, removed: 0, reused: true });
  });

  it('takes the gateway bundle and the config validator from the last build when nothing they read changed, though other sources did', {
    timeout: 60_000,
  }, async () => {
    scratch();
    write(
      'gateway/runtime/runGateway.ts',
      "import { greet } from '../../common/greet.js';\nimport { word } from '../../vendor/word.js';\nexport function runGateway(): string {\n  return greet(word);\n}\n",
    );
    write('vendor/word.js', "export const word = 'first';\n");
    copyBundleLoader();
    // The validator's generator, run by the build: its output depends on the module it imports.
    write('gateway/config/limits.ts', 'export const max = 1;\n');
    write(
      'gateway/config/configValidatorSource.ts',
      "import { max } from './limits.js';\nexport function configValidatorSource(): string {\n  return `export const max = ${max};\\n`;\n}\n",
    );
    write('gateway/config/validateConfigFile.ts', 'export const max = 0;\n');
    const validator = () => readFileSync(join(root, 'dist/gateway/config/validateConfigFile.js'), 'utf8');
    const bundleName = () => /"\.\/(runGateway-\w+\.cjs)"/.exec(readFileSync(join(root, 'dist/gateway/runtime/runGateway.js'), 'utf8'))![1]!;
    const bundleText = () => readFileSync(join(root, 'dist/gateway/runtime', bundleName()), 'utf8');

    expect(await buildDist({ root })).toMatchObject({ reused: false, reusedSteps: [] });
    expect(validator()).toBe('export const max = 1;\n');
    const firstBundle = bundleName();

    // A source neither reads (a subgraph's, the CLI's): compiled, both steps taken as they were.
    write('cli/hello.ts', "console.log('changed');\n");
    // (The module and its source map.)
    expect(await buildDist({ root })).toMatchObject({ reused: false, written: 2, reusedSteps: ['validator', 'bundle'] });
    expect(readFileSync(join(root, 'dist/cli/hello.js'), 'utf8')).toContain('changed');
    expect(bundleName()).toBe(firstBundle);

    // A source the bundle read, and a package file it read: bundled again.
    write('common/greet.ts', 'export const greet = (name: string): string => `hi ${name}`;\n');
    expect(await buildDist({ root })).toMatchObject({ reused: false, reusedSteps: ['validator'] });
    expect(bundleText()).toContain('hi ');
    write('vendor/word.js', "export const word = 'second';\n");
    expect(await buildDist({ root })).toMatchObject({ reused: false, reusedSteps: ['validator'] });
    expect(bundleText()).toContain('second');

    // A module the validator's generator loads: generated again (and the bundle, which holds it, too).
    write('gateway/config/limits.ts', 'export const max = 2;\n');
    expect(await buildDist({ root })).toMatchObject({ reused: false, reusedSteps: [] });
    expect(validator()).toBe('export const max = 2;\n');

    // A step's output edited by hand is not taken: that step runs again.
    writeFileSync(join(root, 'dist/gateway/runtime', bundleName()), 'edited by hand\n');
    expect(await buildDist({ root })).toMatchObject({ reused: false, reusedSteps: ['validator'] });
    expect(bundleText()).toContain('second');
    writeFileSync(join(root, 'dist/gateway/config/validateConfigFile.js'), 'edited by hand\n');
    expect((await buildDist({ root })).reusedSteps).not.toContain('validator');
    expect(validator()).toBe('export const max = 2;\n');
    expect(await buildDist({ root })).toMatchObject({ written: 0, removed: 0, reused: true });
  });

  it('names where an entry is compiled to, for every folder it compiles', () => {
    expect(compiledPath('subgraphs/accounts/index.ts')).toBe('dist/subgraphs/accounts/index.js');
    expect([...sourceFolders].sort()).toEqual(['backends', 'cli', 'common', 'gateway', 'subgraphs']);
  });
});
