// `npm run build`: every runtime TypeScript file (cli, gateway, common, subgraphs, backends) into
// JavaScript in dist/, at the same relative path. Nothing else is copied: files the code reads
// (schema/, package.json, the explorer bundle) are found from the root (common/projectRoot.ts),
// so there is one copy of each. Plain JavaScript, so it runs before anything is built.
//
// esbuild transpiles each file on its own (tsconfig's isolatedModules guarantees that is sound),
// then bundles the gateway's entry over its per-file output (see bundleGateway), and the CLI's
// entry (scripts/bundleCli.js): a whole build
// takes a few seconds (the bundle most of it: 1.6 s without, 5.8-8.6 s with, at a load average
// of 4 on two cores). Every `npm start`, test run and `portico dev` builds rather than trusting
// dist/, and a build whose inputs (sources, packages, this script) are all as the last build
// read them, and whose outputs are as it wrote them, compiles nothing (reuseLastBuild: ~0.5 s).
// Type-checking is `npm run typecheck`'s job.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bundleCli } from './bundleCli.js';
import { readOrEmpty } from './readOrEmpty.js';
import { compiledClosure, reuseBuildStep, stepKey } from './reuseBuildStep.js';

/** The folders compiled, relative to the repository root; tests and the bench run from source. */
export const sourceFolders = ['backends', 'cli', 'common', 'gateway', 'subgraphs'];
/** The browser explorer's sources: bundled by `portico codegen` into gateway/explorer/generated, not run by Node. */
const browserOnly = join('gateway', 'explorer', 'client');
/** Node 20.19 is the oldest Node `engines` accepts. */
const target = 'node20.19';

/** Where `source` (a path relative to the root, `cli/main.ts`) is compiled to, relative to the root. */
export function compiledPath(source) {
  return join('dist', source.replace(/\.ts$/, '.js'));
}

/**
 * Builds dist/ under `root`. Writes only files whose content changed, each by an atomic rename,
 * and removes files whose source is gone, so a process starting from dist/ while another build
 * runs (two test runs, `portico dev` restarting a subgraph) never reads a half-written file.
 * @param {{ root?: string }} [options]
 * @returns {Promise<{ files: number, written: number, removed: number, reused: boolean, ms: number }>}
 */
export async function buildDist({ root = fileURLToPath(new URL('..', import.meta.url)) } = {}) {
  const started = performance.now();
  // Loaded here: esbuild is a development dependency, and importing this file must not need it.
  const { build, version } = await import('esbuild');
  const typescript = sourceFolders
    .flatMap((folder) => listFiles(root, folder))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.startsWith(browserOnly + sep));
  // Nothing the last build read has changed, and dist/ holds exactly what it wrote: nothing to do.
  const inputs = buildInputs(root, typescript, version);
  const reused = reuseLastBuild(root, inputs);
  if (reused) return { files: reused.files, written: 0, removed: 0, reused: true, reusedSteps: [], ms: Math.round(performance.now() - started) };
  const result = await build({
    absWorkingDir: root,
    entryPoints: typescript,
    outdir: 'dist',
    outbase: '.',
    bundle: false,
    format: 'esm',
    platform: 'node',
    target,
    // No keepNames: it wraps every function a request creates in an `Object.defineProperty`
    // call (about 5 % of the gateway's CPU per request, docs/performance.md).
    keepNames: false,
    // Linked maps without sources: stack traces map back to the .ts files with --enable-source-maps.
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'silent',
  });
  const expected = new Map(result.outputFiles.map((file) => [relative(root, file.path), file.contents]));
  let written = 0;
  const write = (files) => {
    for (const [file, contents] of files) if (writeIfChanged(join(root, file), contents)) written += 1;
  };
  // The two costly steps are taken from the last build when nothing they read changed (reuseBuildStep).
  const last = readBuildRecord(root);
  const outputDigest = (file) => digestFiles(root, [file]);
  const shared = [thisScript(), 'package.json', 'tsconfig.json', join('node_modules', '.package-lock.json')].map(readIfFile(root));
  const steps = {};
  const reusedSteps = [];
  // The config validator is generated from the compiled schema (see configValidator), so the per-file build goes first.
  const validator = typescript.includes(configValidatorGenerator) ? compiledPath(configValidator) : undefined;
  if (validator) {
    expected.delete(`${validator}.map`);
    // (Not the entry's per-file output, which the bundle replaces.)
    const bundled = compiledPath(gatewayEntry);
    write([...expected].filter(([file]) => file !== validator && file !== bundled && file !== `${bundled}.map`));
    // It depends on the compiled modules the generator loads (just written) and the packages (Ajv, TypeBox) they load.
    const keyOf = (files) => stepKey(root, ['validator', ...shared], files);
    const reused = reuseBuildStep(root, last, 'validator', keyOf, outputDigest);
    // (Not the validator itself, about to be replaced, should a module of the generator import it.)
    const inputs = compiledClosure(expected, compiledPath(configValidatorGenerator)).filter((file) => file !== validator);
    expected.set(validator, reused?.get(validator) ?? (await generateConfigValidator(root)));
    if (reused) reusedSteps.push('validator');
    steps.validator = { key: keyOf(inputs), inputs, outputs: [validator] };
    // The bundle reads it from dist/.
    write([[validator, expected.get(validator)]]);
  }
  // The gateway's entry, bundled over its per-file build (see bundleGateway): its per-file map goes.
  const bundleKeyOf = (files) => stepKey(root, ['bundle', version, ...shared, validator ? expected.get(validator) : ''], files);
  const lastBundle = reuseBuildStep(root, last, 'bundle', bundleKeyOf, outputDigest);
  const { files: bundle, inputs: bundleInputs } = lastBundle
    ? { files: [...lastBundle].map(([file, contents]) => ({ path: join(root, file), contents })), inputs: last.steps.bundle.inputs }
    : await bundleGateway(build, root, typescript, validator);
  if (lastBundle) reusedSteps.push('bundle');
  if (bundle.length > 0) {
    expected.delete(`${compiledPath(gatewayEntry)}.map`);
    steps.bundle = { key: bundleKeyOf(bundleInputs), inputs: bundleInputs, outputs: bundle.map((file) => relative(root, file.path)) };
  }
  for (const file of bundle) expected.set(relative(root, file.path), file.contents);
  // The CLI's entry, bundled in place of its per-file output (see bundleCli): small, so built every time.
  for (const file of await bundleCli(build, root, typescript, target, compiledPath)) expected.set(relative(root, file.path), file.contents);
  // What the bundle read outside the sources (the packages, by absolute path when outside the
  // root: node_modules may be a link), which the record keeps for reuseLastBuild; the sources are digested whole.
  const packageInputs = bundleInputs.filter((input) => !sourceFolders.some((folder) => input.startsWith(folder + sep)));
  write([...expected].filter(([file]) => file !== validator));
  const bundled = [...expected.keys()].filter((file) => file.endsWith('.cjs'));
  let removed = 0;
  for (const file of listFiles(root, 'dist')) {
    // Another build's scratch file, about to be renamed into place, is not an orphan; nor is the
    // current bundle's code cache (an old bundle's goes with it).
    if (expected.has(file) || file === buildRecord || file.endsWith('.tmp') || bundled.some((bundle) => isCodeCacheOf(bundle, file))) continue;
    rmSync(join(root, file), { force: true });
    removed += 1;
  }
  removeEmptyFolders(join(root, 'dist'));
  recordBuild(root, inputs, packageInputs, expected, steps);
  return { files: expected.size, written, removed, reused: false, reusedSteps, ms: Math.round(performance.now() - started) };
}

/**
 * What the last build read and wrote (`recordBuild`), so that the next one, when nothing it read
 * has changed, can leave dist/ as it is: a build costs about 6 s of CPU (esbuild's transpile and
 * the gateway bundle, and a process for the config validator), and `npm test`, `portico dev` (at
 * start and at each subgraph restart) and the tests' scratch copies of the repository build
 * again and again with nothing changed. Remove dist/ to force a whole build.
 */
const buildRecord = join('dist', '.build.json');

/** The build's own scripts, this one and those it imports (test/build/buildDist.test.ts checks the list): each decides outputs. */
export const buildScripts = ['buildDist.js', 'bundleCli.js', 'readOrEmpty.js', 'reuseBuildStep.js'];

/**
 * A digest of everything a build reads apart from the packages the gateway bundles: the build's
 * scripts (their options and plugins), esbuild's version, the package manifest, tsconfig and the installed
 * packages' lockfile (a package changed or added changes it), and every source's path and text
 * (a source added or removed changes the list).
 */
function buildInputs(root, typescript, esbuildVersion) {
  const hash = createHash('sha256');
  const add = (name, contents) => hash.update(`${name}\0${contents.length}\0`).update(contents);
  add('esbuild', esbuildVersion);
  for (const script of buildScripts) add(script, readFileSync(new URL(`./${script}`, import.meta.url)));
  for (const file of ['package.json', 'tsconfig.json', join('node_modules', '.package-lock.json')]) add(file, readOrEmpty(join(root, file)));
  for (const file of [...typescript].sort()) add(file, readFileSync(join(root, file)));
  return hash.digest('hex');
}

/** A digest of each of `files` (path and content, relative ones under `root`; an absent file counts as empty). */
function digestFiles(root, files) {
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readOrEmpty(resolve(root, file)))
      .update('\0');
  return hash.digest('hex');
}

/**
 * Returns `{ files }` when the record of the last build says it read `inputs` and the same
 * package files, and dist/ holds exactly the files it wrote (same contents: nothing edited or
 * removed by hand, no file without a source), plus the gateway bundle's code caches; otherwise
 * undefined, and the caller builds.
 */
function reuseLastBuild(root, inputs) {
  const record = readBuildRecord(root);
  if (record === undefined) return undefined;
  if (record.inputs !== inputs || record.packages !== digestFiles(root, record.packageInputs)) return undefined;
  const outputs = new Map(Object.entries(record.outputs));
  const bundles = [...outputs.keys()].filter((file) => file.endsWith('.cjs'));
  for (const file of listFiles(root, 'dist')) {
    if (file === buildRecord || file.endsWith('.tmp') || bundles.some((bundle) => isCodeCacheOf(bundle, file))) continue;
    if (!outputs.has(file)) return undefined;
  }
  for (const [file, digest] of outputs) if (digestFiles(root, [file]) !== digest) return undefined;
  return { files: outputs.size };
}

/** The last completed build's record (`recordBuild`), or undefined when there is none or it does not parse. */
function readBuildRecord(root) {
  try {
    return JSON.parse(readFileSync(join(root, buildRecord), 'utf8'));
  } catch {
    return undefined;
  }
}

/** This script's path: its options and plugins are inputs of every step. */
function thisScript() {
  return fileURLToPath(import.meta.url);
}

/** A reader of `file` under `root` (absolute ones as they are), empty when absent. */
function readIfFile(root) {
  return (file) => readOrEmpty(resolve(root, file));
}

/** Writes the record `reuseLastBuild` reads: the inputs' digest, the packages bundled (absolute paths) and each output's digest. */
function recordBuild(root, inputs, packageInputs, expected, steps) {
  const outputs = Object.fromEntries([...expected.keys()].sort().map((file) => [file, digestFiles(root, [file])]));
  const record = { inputs, packageInputs, packages: digestFiles(root, packageInputs), outputs, steps };
  writeIfChanged(join(root, buildRecord), Buffer.from(`${JSON.stringify(record)}\n`));
}

/** The module whose compiled form is the gateway config file's validator, compiled by Ajv at every start. */
const configValidator = join('gateway', 'config', 'validateConfigFile.ts');
/** What writes ajv's standalone code for the same schema, which the build puts in its place. */
const configValidatorGenerator = join('gateway', 'config', 'configValidatorSource.ts');

/**
 * Ajv's standalone code for the config file's schema (`configValidatorSource`, run from the
 * per-file build just written): compiling the schema took about a tenth of a gateway's start
 * (docs/performance.md, "Start-up time"). Run in a process of its own, so that a second build in
 * one process (`portico dev`) reads the schema as it is now, not the module cache's copy.
 * @returns {Promise<Buffer>}
 */
async function generateConfigValidator(root) {
  const generator = pathToFileURL(join(root, compiledPath(configValidatorGenerator))).href;
  const script = `import { configValidatorSource } from ${JSON.stringify(generator)};\nprocess.stdout.write(configValidatorSource());\n`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', script], {
    cwd: root,
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The entry `portico gateway` imports, relative to the root. */
export const gatewayEntry = join('gateway', 'runtime', 'runGateway.ts');

/**
 * Packages left out of the gateway's bundle and loaded from node_modules: the Redis client, used
 * only where the config asks for Redis (`import()`ed then); what the code loads with
 * `createRequire` (pretty logs, JWKS), which the bundler does not follow anyway. pino is bundled:
 * only its transports start workers from files beside its own (`__dirname`), and Portico's
 * loggers use none (test/build/gatewayBundle.test.ts).
 */
const notBundled = ['ioredis', 'pino-pretty', 'jwks-rsa'];

/**
 * The gateway's entry and every package it imports, as one CommonJS file beside the entry's
 * compiled path (`runGateway-<hash>.cjs`, named after its content), and at that path an ES
 * module that runs it with a V8 code cache (`loadCachedBundle`) and exports its `runGateway`.
 * Node then resolves, reads and (for CommonJS) scans one file instead of about 2,000 at every
 * start: about two thirds of the time to the first answered query was module loading; and from
 * the second start on, V8 takes the code it compiled at the first instead of compiling the bundle
 * again (docs/performance.md, "Start-up time"). CommonJS because Node 20 can give V8 a code cache
 * only for a script (`vm.Script`), not an ES module. Nothing is lost by bundling: files the code
 * reads at runtime are found from the root (common/projectRoot.ts finds it from whichever file it
 * ends up in), and the packages loaded through `createRequire` stay where they are. A root
 * without the entry (the build's tests) has nothing to bundle.
 * @returns {Promise<Array<{ path: string, contents: Uint8Array }>>}
 */
async function bundleGateway(build, root, sources, validator) {
  if (!sources.includes(gatewayEntry)) return { files: [], inputs: [] };
  const plugins = [namedExports(root, ['graphql']), leaveOut(root, unusedAtRuntime)];
  if (validator) plugins.push(replaceModule(join(root, configValidator), join(root, validator)));
  const entry = compiledPath(gatewayEntry);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [gatewayEntry],
    outdir: dirname(entry),
    entryNames: '[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target,
    // Our modules find the root, and load a few packages, from `import.meta.url`: the bundle's own URL.
    define: { 'import.meta.url': '__porticoImportMetaUrl' },
    banner: { js: 'var __porticoImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    external: notBundled,
    plugins,
    // Blanks and comments out, names kept (profiles and stack traces stay readable): Node reads
    // the whole file as a string at every start, and a third of it was white space. The licence
    // comments go to a file of their own, so the bundle stays ASCII (see loadCachedBundle).
    minifyWhitespace: true,
    legalComments: 'external',
    charset: 'ascii',
    keepNames: false,
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const built = result.outputFiles.find((file) => file.path.endsWith('.cjs'));
  const nonAscii = built.contents.findIndex((byte) => byte > 0x7f);
  if (nonAscii >= 0) throw new Error(`${relative(root, built.path)}: a byte that is not ASCII at offset ${nonAscii} (loadCachedBundle reads it as Latin-1)`);
  const bundle = { path: built.path, contents: reusedBundle(root, built.path) ?? (await routeDynamicImports(built.contents, relative(root, built.path))) };
  const loader = [
    '// Generated by npm run build (scripts/buildDist.js): the gateway bundle, run with its code cache.',
    "import { fileURLToPath } from 'node:url';",
    "import { loadCachedBundle } from './loadCachedBundle.js';",
    "import { defaultHeapGrowthPercent, limitHeapGrowth } from './limitHeapGrowth.js';",
    '// Before the bundle loads: its code cache is written and taken under this flag, and the start',
    "// leaves the old generation a limit of half again its live data rather than V8's fourfold.",
    'limitHeapGrowth(defaultHeapGrowthPercent);',
    `const bundle = await loadCachedBundle(fileURLToPath(new URL(${JSON.stringify(`./${basename(bundle.path)}`)}, import.meta.url)), ${JSON.stringify(bundleImportName)});`,
    '/** Runs the gateway (runGateway.ts); the code cache is written once it has answered its first request. */',
    'export function runGateway(options) {',
    '  return bundle.exports.runGateway({ ...options, onServing: bundle.saveCodeCache });',
    '}',
    '',
  ].join('\n');
  // The files it read besides the sources (the packages, by absolute path when outside the root:
  // node_modules may be a link), which the record of this build keeps (see reuseLastBuild); the
  // sources are digested whole.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes(':'))
    .map((input) => {
      const inside = relative(root, resolve(root, input));
      return inside.startsWith(`..${sep}`) ? resolve(root, input) : inside;
    })
    .sort();
  return { files: [...result.outputFiles.filter((file) => file !== built), bundle, { path: join(root, entry), contents: Buffer.from(loader) }], inputs };
}

/**
 * The bundle an earlier build wrote at `path`, with its `import()` calls renamed already: the
 * name carries esbuild's hash of its content before the renaming, so the same name means the same
 * bundle, and the parse (seconds, for a bundle of 6 MB) is spared. Only one the record of the last
 * completed build lists with the same digest (see recordBuild): a bundle cut short, edited, or
 * written by a build that did not finish is not taken (it would be reused, and recorded, forever).
 * Undefined otherwise.
 * @param {string} root
 * @param {string} path
 */
function reusedBundle(root, path) {
  const file = relative(root, path);
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(join(root, buildRecord), 'utf8')).outputs?.[file];
  } catch {
    return undefined;
  }
  if (typeof recorded !== 'string') return undefined;
  const previous = readOrEmpty(path);
  return previous.length > 0 && digestFiles(root, [file]) === recorded ? previous : undefined;
}

/**
 * The name the bundle's `import()` calls are rewritten to: a parameter of the function
 * `loadCachedBundle` wraps the bundle in, which it passes `(specifier, options) => import(specifier,
 * options)`. As long as `import` (six characters), so the source map's columns stay right.
 */
export const bundleImportName = '$imprt';

/**
 * Every `import(...)` call esbuild left in the bundle (Node's own modules in OpenTelemetry's OTLP
 * exporter, a policy module, packages' optional loaders) made a call of `bundleImportName`
 * instead. Why: V8 11.3 (Node 20) drops the dynamic-import callback of a script it builds from a
 * code cache, so with `import()` in it the bundle could not use one on Node 20 (importSurvivesCodeCache),
 * and compiling the bundle was the largest part of a Node 20 start (docs/performance.md). The
 * calls are found by TypeScript's parser, not by a pattern, so that `import(` in a string, a
 * comment or a property name is left alone; only the keyword changes, in place.
 * @param {Uint8Array} contents the bundle, ASCII
 * @param {string} name for error messages
 * @returns {Promise<Buffer>}
 */
async function routeDynamicImports(contents, name) {
  const text = Buffer.from(contents).toString('latin1');
  // Nothing that could be one: no parse (the build's tests bundle small entries).
  if (!/(?<![\w$.])import\s*\(/.test(text)) return Buffer.from(contents);
  if (text.includes(bundleImportName)) throw new Error(`${name} already uses the name ${bundleImportName}, which its import() calls are renamed to`);
  const { default: ts } = await import('typescript');
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  /** @type {number[]} */
  const starts = [];
  /** @param {import('typescript').Node} node */
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) starts.push(node.expression.getStart(file));
    ts.forEachChild(node, visit);
  };
  visit(file);
  const routed = Buffer.from(text, 'latin1');
  for (const start of starts) routed.write(bundleImportName, start, 'latin1');
  return routed;
}

/** The code caches `loadCachedBundle` writes beside the bundle named `bundle` (a path relative to the root). */
function isCodeCacheOf(bundle, file) {
  return file.startsWith(`${bundle}.`) && file.endsWith('.cache');
}

/**
 * Modules the gateway's packages require when they load, for what Portico never has them do, by
 * the files that require them. Apollo Gateway's: composing a supergraph (Portico's supergraph
 * manager loads a composed one), its usage telemetry (its meter provider, the cloud resource
 * detectors, the metrics exporter, and the resource module only they use:
 * `createApolloGateway` turns it off), fetching from subgraphs or Uplink (`make-fetch-happen` and
 * `node-fetch`: Portico's executor calls the subgraphs). Apollo's query graphs: drawing them as
 * Graphviz (a debugging aid). prom-client's: pushing to a Pushgateway (Portico is scraped; the
 * module loads `https` and `zlib` at every start). Each is bundled as a stub that throws, naming
 * itself, at the first use of anything in it (`make-fetch-happen`'s `defaults()` still answers:
 * Apollo Gateway builds a data source per subgraph, with a fetcher that is never called).
 * Together about 3 MB of what the bundle would be, and a fifth of the packages' start-up code
 * (docs/performance.md, "Start-up time"). The build fails if one of them is imported from another
 * file of Apollo Gateway's than these (a new use to look at); anyone else gets the real module.
 */
const unusedAtRuntime = {
  '@apollo/composition': [
    '@apollo/gateway/dist/supergraphManagers/IntrospectAndCompose/index.js',
    '@apollo/gateway/dist/supergraphManagers/LegacyFetcher/index.js',
    '@apollo/gateway/dist/supergraphManagers/LocalCompose/index.js',
  ],
  '@opentelemetry/exporter-metrics-otlp-http': ['@apollo/gateway/dist/utilities/opentelemetry.js'],
  '@opentelemetry/resource-detector-alibaba-cloud': ['@apollo/gateway/dist/utilities/opentelemetry.js'],
  '@opentelemetry/resource-detector-aws': ['@apollo/gateway/dist/utilities/opentelemetry.js'],
  '@opentelemetry/resource-detector-azure': ['@apollo/gateway/dist/utilities/opentelemetry.js'],
  '@opentelemetry/resource-detector-gcp': ['@apollo/gateway/dist/utilities/opentelemetry.js'],
  '@opentelemetry/sdk-metrics': ['@apollo/gateway/dist/utilities/opentelemetry.js'],
  '@opentelemetry/resources': ['@apollo/gateway/dist/utilities/opentelemetry.js'],
  'node-cpu-count': ['@apollo/gateway/dist/utilities/opentelemetry.js'],
  'make-fetch-happen': [
    '@apollo/gateway/dist/datasources/RemoteGraphQLDataSource.js',
    '@apollo/gateway/dist/supergraphManagers/UplinkSupergraphManager/index.js',
  ],
  'node-fetch': [
    '@apollo/gateway/dist/datasources/RemoteGraphQLDataSource.js',
    '@apollo/gateway/dist/executeQueryPlan.js',
    '@apollo/gateway/dist/supergraphManagers/IntrospectAndCompose/loadServicesFromRemoteEndpoint.js',
  ],
  'ts-graphviz': ['@apollo/query-graphs/dist/graphviz.js'],
  './lib/pushgateway': ['prom-client/index.js'],
  // undici's HTTP/2 client, which loads node:http2 (7 ms of every start): only for a pool made
  // with `allowH2`, which no pool of Portico's is (subgraph requests are HTTP/1.1).
  './client-h2.js': ['undici/lib/dispatcher/client.js'],
};

/**
 * The stubs of `unusedAtRuntime` (a map from module specifier to the files that may import it,
 * relative to node_modules).
 * @returns {import('esbuild').Plugin}
 */
function leaveOut(root, unused) {
  const namespace = 'portico-left-out';
  const packages = Object.keys(unused);
  return {
    name: namespace,
    setup(plugin) {
      const filter = new RegExp(`^(${packages.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
      plugin.onResolve({ filter }, (args) => {
        const importer = args.importer.split(`${sep}node_modules${sep}`).at(-1).split(sep).join('/');
        if (unused[args.path].includes(importer)) return { path: args.path, namespace };
        if (importer.startsWith('@apollo/gateway/')) {
          return {
            errors: [
              {
                text: `${importer} imports ${args.path}, which the gateway bundle leaves out (unusedAtRuntime in scripts/buildDist.js): check whether Portico's paths now use it`,
              },
            ],
          };
        }
        return undefined;
      });
      plugin.onLoad({ filter: /.*/, namespace }, (args) => ({ contents: leftOutModule(args.path), resolveDir: root, loader: 'js' }));
    },
  };
}

/** The CommonJS text of the stub for `name` (see unusedAtRuntime). */
export function leftOutModule(name) {
  const message = JSON.stringify(`${name} is left out of Portico's gateway bundle (unusedAtRuntime in scripts/buildDist.js), but was used`);
  const unusedFetch = name === 'make-fetch-happen' ? "if (key === 'defaults') return () => () => { throw new Error(message); };\n    " : '';
  return [
    `const message = ${message};`,
    'module.exports = new Proxy({}, {',
    '  get(_target, key) {',
    "    if (key === '__esModule' || typeof key === 'symbol') return undefined;",
    `    ${unusedFetch}throw new Error(message);`,
    '  },',
    '});',
    '',
  ].join('\n');
}

/**
 * ES modules (ours, and Apollo Server's) import CommonJS packages by name (`import { Kind } from
 * 'graphql'`). Bundled as they are, each of the 80 that import graphql gets its own interop copy of its 400-odd
 * exports (esbuild's `__toESM`: 32,000 getters defined at every start), and every use of one
 * (`Kind.FIELD` on the request path) calls a getter. Imported instead through one ES module that
 * names each export once, they bind to plain variables. It is the same CommonJS graphql Apollo's
 * packages require: one copy, so its `instanceof` checks hold.
 * @returns {import('esbuild').Plugin}
 */
function namedExports(root, packages) {
  const namespace = 'portico-named-exports';
  const requireFromRoot = createRequire(join(root, 'package.json'));
  return {
    name: namespace,
    setup(plugin) {
      const filter = new RegExp(`^(${packages.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
      plugin.onResolve({ filter }, (args) => {
        // A `require` stays as it is (it gets the module itself, not a copy); so does the named-exports module's own import.
        if (args.namespace === namespace || args.kind !== 'import-statement') return undefined;
        return { path: args.path, namespace };
      });
      plugin.onLoad({ filter: /.*/, namespace }, (args) => {
        const names = Object.keys(requireFromRoot(args.path)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
        return {
          contents: `import * as all from ${JSON.stringify(args.path)};\nexport const { ${names.join(', ')} } = all;\n`,
          resolveDir: root,
          loader: 'js',
        };
      });
    },
  };
}

/**
 * Bundles `replacement` wherever `original` is imported (both absolute paths): the build's
 * generated config validator in the place of the module that compiles it at run time.
 * @returns {import('esbuild').Plugin}
 */
function replaceModule(original, replacement) {
  const name = basename(original).replace(/\.ts$/, '.js');
  return {
    name: 'portico-replace-module',
    setup(plugin) {
      plugin.onResolve({ filter: new RegExp(`/${name.replace(/\./g, '\\.')}$`) }, (args) =>
        join(args.resolveDir, args.path.replace(/\.js$/, '.ts')) === original ? { path: replacement } : undefined,
      );
    },
  };
}

/** Writes `contents` to `path` unless it is there already, by an atomic rename; says whether it wrote. */
function writeIfChanged(path, contents) {
  if (sameContent(path, contents)) return false;
  mkdirSync(dirname(path), { recursive: true });
  const scratch = `${path}.${process.pid}.tmp`;
  writeFileSync(scratch, contents);
  renameSync(scratch, path);
  return true;
}

/** Every file below `root/folder`, as paths relative to `root`; none when the folder is absent. */
function listFiles(root, folder) {
  let entries;
  try {
    entries = readdirSync(join(root, folder), { withFileTypes: true, recursive: true });
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

function sameContent(path, contents) {
  try {
    return Buffer.compare(readFileSync(path), contents) === 0;
  } catch {
    return false;
  }
}

// A folder whose sources were all removed goes too; dist/ itself stays.
function removeEmptyFolders(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const inner = join(folder, entry.name);
    removeEmptyFolders(inner);
    if (readdirSync(inner).length === 0) rmdirSync(inner);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { files, written, removed, reused, ms } = await buildDist();
  process.stderr.write(`dist: ${files} files, ${reused ? 'nothing changed since the last build' : `${written} written, ${removed} removed`} (${ms} ms)\n`);
}
