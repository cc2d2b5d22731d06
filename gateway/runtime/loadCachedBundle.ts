import { hash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

export interface CachedBundle<Exports> {
  /** What the bundle put in `module.exports`. */
  exports: Exports;
  /**
   * Writes V8's code for the bundle, as compiled so far, for the next start: once, and only when
   * this start had no cache V8 accepted. Call it once the process has done what its starts do
   * (the gateway: once it has answered its first request), before anything changes V8's flags (`limitHeapGrowth`), since
   * V8 refuses a cache written under other flags. A folder it may not write in is not an error.
   */
  saveCodeCache(): void;
}

/**
 * Runs a CommonJS bundle (`npm run build`'s gateway bundle) with a V8 code cache beside it: the
 * first start compiles it and, once told, writes the compiled code to `<bundle>.<node version>-
 * <arch>.cache`; later starts give V8 that code instead of parsing and compiling the bundle's
 * 9 MB again (docs/performance.md, "Start-up time"). Node 22.1+ has a compile cache of its own
 * (`module.enableCompileCache`), but it keeps only what is compiled before a module runs; this one
 * keeps every function the start compiled. Node 20's V8 breaks `import()` in a script built from a
 * cache (importSurvivesCodeCache), so there a bundle is cached only if it has no `import()` of its
 * own: the build renames the gateway bundle's calls to `importName`, a parameter of the wrapper
 * given a function that imports (otherwise Node 20 compiles the bundle at every start).
 *
 * The cache lives beside the bundle, so only who may change the bundle may change it, or, where
 * `NODE_COMPILE_CACHE` names a folder (Node's own compile cache; the container image sets it, since
 * the image's dist/ is not the gateway user's to write), in its `portico` folder (made 0700). The
 * cache is checked before V8 sees it (readCodeCache: a sha256 of the source and of the data, and
 * who wrote it), since V8 checks little; V8 itself refuses one from another V8 version or other
 * flags. Either way the bundle is then compiled as if there were none, and the cache replaced. The bundle must be ASCII (the build checks), which is
 * read as a one-byte string without decoding.
 */
export async function loadCachedBundle<Exports>(file: string, importName?: string): Promise<CachedBundle<Exports>> {
  quietDefaultLoaderWarning();
  const source = readFileSync(file);
  // A bundle whose import() calls the build renamed (buildDist's routeDynamicImports) has none of
  // V8's left to break: Node 20 keeps a cache for it too. Any `import(` left, even in a string,
  // and Node 20 compiles it every time, as before.
  // (A Buffer to look for: given a string, Buffer#indexOf took 10 ms of a start on this bundle.)
  const useCache = (importName !== undefined && source.indexOf(dynamicImport) === -1) || (await importSurvivesCodeCache());
  const folder = process.env.NODE_COMPILE_CACHE ? join(process.env.NODE_COMPILE_CACHE, 'portico') : dirname(file);
  const cacheFile = join(folder, `${basename(file)}.${process.version}-${process.arch}.cache`);
  const sourceHash = useCache ? hash('sha256', source, 'buffer') : undefined;
  const cachedData = sourceHash && readCodeCache(cacheFile, sourceHash, file);
  // The same wrapper Node puts around a CommonJS module, so the bundle runs as if `require`d.
  const parameters = ['exports', 'require', 'module', '__filename', '__dirname', ...(importName === undefined ? [] : [importName])].join(', ');
  const script = new vm.Script(`(function (${parameters}) {${source.toString('latin1')}\n})`, {
    filename: file,
    cachedData,
    // `import()` inside the bundle (a policy module, Node's own modules in OpenTelemetry's
    // exporter) resolves as it would in a module of Node's own (see quietDefaultLoaderWarning).
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // A cache V8 refuses (another V8, other flags) is of no use to any later start either.
  if (cachedData !== undefined && script.cachedDataRejected === true) removeQuietly(cacheFile);
  const needsCache = cachedData === undefined || script.cachedDataRejected === true;
  const module = { exports: {} as Exports };
  // The bundle's renamed import() calls: a module of ours beside it imports for them (the same
  // folder, so a relative specifier means what it meant; Node's own loader, no V8 callback).
  const importFor = (specifier: string, options?: ImportCallOptions): Promise<unknown> => import(specifier, options);
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file), importFor);
  let saved = false;
  return {
    exports: module.exports,
    saveCodeCache() {
      if (!useCache || !needsCache || saved) return;
      saved = true;
      // A random name, created only if new: replicas sharing a volume are all pid 1.
      const scratch = `${cacheFile}.${randomBytes(8).toString('hex')}.tmp`;
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        if (!sourceHash) return;
        writeFileSync(scratch, withHeader(script.createCachedData(), sourceHash), { flag: 'wx', mode: 0o600 });
        // Atomic: another process starting now reads the whole cache or none.
        renameSync(scratch, cacheFile);
      } catch {
        // A read-only install (a container's image): every start compiles, as without a cache.
        removeQuietly(scratch);
      }
    },
  };
}

// The cache file: this marker, the sha256 of the bundle's source, the sha256 of V8's data, the
// data. Release builds of V8 check only the source's length before running the data, so a
// corrupt cache (a torn disk write, a full volume) would crash every start, and one planted in a
// shared NODE_COMPILE_CACHE folder would run its code: neither reaches V8.
const marker = Buffer.from('portico-v8-code-cache-1\n', 'latin1');
const headerLength = marker.length + 64;

/** Exported for its test. */
export function withHeader(data: Buffer, sourceHash: Buffer): Buffer {
  return Buffer.concat([marker, sourceHash, hash('sha256', data, 'buffer'), data]);
}

/** Deletes `path` if it can: a file not this process's to delete is left, and read again next start. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Not ours to delete (a read-only folder, another user's file).
  }
}

/**
 * V8's data from `cacheFile` if it is whole, made for this source, and written by this user or
 * by whoever owns the bundle (and by nobody else: not writable by group or others); else
 * undefined, and a cache that fails the check is deleted, so that this start writes a good one.
 */
export function readCodeCache(cacheFile: string, sourceHash: Buffer, bundle: string): Buffer | undefined {
  let content: Buffer;
  try {
    const fd = openSync(cacheFile, 'r');
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return undefined;
      const uid = process.getuid?.();
      if (uid !== undefined && ((stat.mode & 0o022) !== 0 || (stat.uid !== uid && stat.uid !== statSync(bundle).uid))) return undefined;
      content = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // No cache yet (or none readable): compiled from the source.
    return undefined;
  }
  const data = content.subarray(headerLength);
  const whole =
    content.length > headerLength &&
    content.subarray(0, marker.length).equals(marker) &&
    content.subarray(marker.length, marker.length + 32).equals(sourceHash) &&
    content.subarray(marker.length + 32, headerLength).equals(hash('sha256', data, 'buffer'));
  if (whole) return data;
  removeQuietly(cacheFile);
  return undefined;
}

const dynamicImport = Buffer.from('import(', 'latin1');

const defaultLoaderWarning = 'vm.USE_MAIN_CONTEXT_DEFAULT_LOADER';

/**
 * The bundle's `import()` goes through Node's own loader (`USE_MAIN_CONTEXT_DEFAULT_LOADER`, the
 * one way on Node 20 without --experimental-vm-modules), and Node warns, at the first `import()`,
 * that this constant is experimental: an operator can do nothing about it, and a gateway with a
 * policy module would print it at every start. That one warning is dropped; every other is emitted.
 */
function quietDefaultLoaderWarning(): void {
  const emitWarning = process.emitWarning as (warning: string | Error, ...rest: unknown[]) => void;
  if ((emitWarning as { quietsDefaultLoader?: true }).quietsDefaultLoader) return;
  const quiet = (warning: string | Error, ...rest: unknown[]): void => {
    if (String(typeof warning === 'string' ? warning : warning.message).startsWith(defaultLoaderWarning)) return;
    emitWarning.call(process, warning, ...rest);
  };
  process.emitWarning = Object.assign(quiet, { quietsDefaultLoader: true as const }) as typeof process.emitWarning;
}

/**
 * Whether `import()` still works in a script V8 built from a code cache. On Node 20 it does not
 * (V8 11.3 drops the dynamic-import callback of a script it deserializes:
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and the bundle needs it (a policy module, the OTLP
 * exporter's `import("http")`), so Node 20 runs the bundle without a cache; Node 26 keeps it.
 * Found out by trying, once per process (a tiny script, well under a millisecond), not by version.
 */
export function importSurvivesCodeCache(): Promise<boolean> {
  probe ??= (async () => {
    const source = '(() => import("node:path"))';
    const options = (filename: string) => ({ filename, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    const cachedData = new vm.Script(source, options('portico-cache-probe-a.js')).createCachedData();
    // Another name, so that V8 takes the cache rather than its in-memory copy of the first.
    const script = new vm.Script(source, { ...options('portico-cache-probe-b.js'), cachedData });
    if (script.cachedDataRejected) return false;
    try {
      await (script.runInThisContext() as () => Promise<unknown>)();
      return true;
    } catch {
      return false;
    }
  })();
  return probe;
}
let probe: Promise<boolean> | undefined;
