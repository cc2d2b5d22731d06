// The `portico` command's entry, bundled (see bundleCli). Plain JavaScript, run by buildDist.
import { dirname, join, relative, resolve, sep } from 'node:path';

/** What `bin/portico.js` imports, relative to the root. */
export const cliEntry = join('cli', 'main.ts');

/**
 * `cli/main.ts` and what it imports statically (the commands' definitions, commander), as one ES
 * module at the entry's compiled path, in place of its per-file output. Node 20's ES module
 * loader resolves, reads and links each module on its own, and every `portico` command (the
 * gateway's start above all) went through about 20 of them before doing anything: about 40 ms
 * of CPU, a fifteenth of a start (docs/performance.md, "Start-up time"). What a command loads
 * when it runs (`import()`: the gateway, dev, codegen and the rest) stays out of it, compiled per
 * file as before, its specifier rewritten to be relative to the bundle. Empty when the sources
 * have no CLI (the build's tests).
 * @param {typeof import('esbuild').build} build
 * @param {string} root
 * @param {string[]} sources the TypeScript files, relative to the root
 * @param {string} target esbuild's target
 * @param {(source: string) => string} compiledPath where a source is compiled to, relative to the root
 * @returns {Promise<import('esbuild').OutputFile[]>} the bundle and its source map
 */
export async function bundleCli(build, root, sources, target, compiledPath) {
  if (!sources.includes(cliEntry)) return [];
  const outfile = compiledPath(cliEntry);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [cliEntry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target,
    // commander is CommonJS, and requires Node's modules: an ES module has no `require` of its own.
    banner: { js: "import { createRequire as __porticoCreateRequire } from 'node:module'; const require = __porticoCreateRequire(import.meta.url);" },
    plugins: [importedWhenRun(root, outfile, compiledPath), noSubcommandProcesses()],
    keepNames: false,
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles;
}

/**
 * commander requires `node:child_process` when it loads, for subcommands that are programs of
 * their own (`portico-<name>` executables), which `portico` has none of: in the bundle its
 * `require` gets a stub that says so if it is ever called. Loading Node's child_process (and
 * the modules it loads) was about 8 ms of every command's start, the gateway's included (which
 * loads `node:cluster`, and with it child_process, only with workers).
 * @returns {import('esbuild').Plugin}
 */
function noSubcommandProcesses() {
  const namespace = 'portico-no-subcommand-processes';
  return {
    name: namespace,
    setup(plugin) {
      plugin.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
        /[\\/]commander[\\/]lib[\\/]command\.js$/.test(args.importer) ? { path: args.path, namespace } : undefined,
      );
      plugin.onLoad({ filter: /.*/, namespace }, () => ({
        contents: "module.exports = { spawn() { throw new Error('portico has no subcommand that is a program of its own'); } };",
        loader: 'js',
      }));
    },
  };
}

/**
 * Leaves every `import()` out of the bundle: a package by its name, a file of ours by the path of
 * its compiled output, relative to the bundle (`../../gateway/runtime/runGateway.js` from
 * `cli/commands/gateway.ts` becomes `../gateway/runtime/runGateway.js` from `dist/cli/main.js`).
 * @returns {import('esbuild').Plugin}
 */
function importedWhenRun(root, outfile, compiledPath) {
  return {
    name: 'portico-imported-when-run',
    setup(plugin) {
      plugin.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        if (!args.path.startsWith('.')) return { path: args.path, external: true };
        const source = relative(root, resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
        const target = relative(dirname(outfile), compiledPath(source)).split(sep).join('/');
        return { path: target.startsWith('.') ? target : `./${target}`, external: true };
      });
    },
  };
}
