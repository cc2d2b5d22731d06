import { hash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSurvivesCodeCache, loadCachedBundle, readCodeCache, withHeader } from '../../../gateway/runtime/loadCachedBundle.js';

// Node 20 runs bundles without a cache (see importSurvivesCodeCache); Node 26 keeps one.
const cacheWorks = await importSurvivesCodeCache();

let dir: string;
let bundle: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'portico-bundle-'));
  bundle = join(dir, 'app-HASH.cjs');
  cache = `${bundle}.${process.version}-${process.arch}.cache`;
  writeFileSync(join(dir, 'later.mjs'), 'export const word = "later";\n');
  // What a bundle does: CommonJS with Node's own modules through `require`, `import()` of a file
  // named at run time (a policy module), its own path.
  writeFileSync(
    bundle,
    [
      'const { join } = require("node:path");',
      'exports.where = () => join(__dirname, "x") === require("node:path").join(module.exports.dir, "x") && __filename;',
      'exports.dir = __dirname;',
      'exports.later = (url) => import(url).then((m) => m.word);',
      'exports.add = (a, b) => a + b;',
      '',
    ].join('\n'),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Exports {
  where(): string | false;
  later(url: string): Promise<string>;
  add(a: number, b: number): number;
}

describe('loadCachedBundle', () => {
  it('runs the bundle as Node runs a CommonJS module, `import()` included', async () => {
    const loaded = await loadCachedBundle<Exports>(bundle);
    const { exports } = loaded;
    expect(exports.where()).toBe(bundle);
    expect(exports.add(2, 3)).toBe(5);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      expect(await exports.later(pathToFileURL(join(dir, 'later.mjs')).href)).toBe('later');
      process.emitWarning('another warning');
      await new Promise((done) => setImmediate(done));
    } finally {
      process.off('warning', onWarning);
    }
    // Node's warning about the loader constant the bundle's `import()` uses is not printed; others are.
    expect(warnings).toEqual(['another warning']);
    // And from the code cache (where this Node keeps one), `import()` still works.
    loaded.saveCodeCache();
    const again = await loadCachedBundle<Exports>(bundle);
    expect(await again.exports.later(pathToFileURL(join(dir, 'later.mjs')).href)).toBe('later');
  });

  it('keeps a cache on every Node for a bundle whose import() calls go through the name it is given (the build renames them)', async () => {
    // As buildDist's routeDynamicImports leaves the gateway bundle: no `import(` of its own.
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('import(url)', '$imprt(url)'));
    const first = await loadCachedBundle<Exports>(bundle, '$imprt');
    expect(await first.exports.later(pathToFileURL(join(dir, 'later.mjs')).href)).toBe('later');
    first.saveCodeCache();
    // Node 20 too: nothing in the bundle needs the callback V8 drops.
    expect(existsSync(cache)).toBe(true);
    const written = statSync(cache).mtimeMs;
    const second = await loadCachedBundle<Exports>(bundle, '$imprt');
    expect(await second.exports.later(pathToFileURL(join(dir, 'later.mjs')).href)).toBe('later');
    second.saveCodeCache();
    // V8 took the cache: nothing to write again.
    expect(statSync(cache).mtimeMs).toBe(written);
    // An `import(` left anywhere in it (a string, even): compiled every time where V8 would break it, as before.
    const renamed = readFileSync(bundle);
    writeFileSync(bundle, `${renamed.toString('utf8')}exports.text = "import(";\n`);
    const third = await loadCachedBundle<Exports>(bundle, '$imprt');
    expect(await third.exports.later(pathToFileURL(join(dir, 'later.mjs')).href)).toBe('later');
    third.saveCodeCache();
    // Where V8 would break it, no cache is made for it (so none is ever read), and the one there,
    // for the renamed bundle, is not even read (a cache for another source is deleted on reading).
    if (!cacheWorks) expect(readCodeCache(cache, hash('sha256', renamed, 'buffer'), bundle)).toBeDefined();
    expect(readCodeCache(cache, hash('sha256', readFileSync(bundle), 'buffer'), bundle) !== undefined).toBe(cacheWorks);
  });

  it('writes the code cache once told, and the next load takes it instead of writing another', async () => {
    const first = await loadCachedBundle<Exports>(bundle);
    first.exports.add(1, 1);
    first.saveCodeCache();
    // Node 20: no cache, ever (import() would break).
    expect(existsSync(cache)).toBe(cacheWorks);
    if (!cacheWorks) return;
    const written = statSync(cache);
    expect(written.size).toBeGreaterThan(0);
    first.saveCodeCache();
    expect(statSync(cache).mtimeMs).toBe(written.mtimeMs);
    // Accepted by V8: nothing to save.
    const second = await loadCachedBundle<Exports>(bundle);
    expect(second.exports.add(2, 2)).toBe(4);
    second.saveCodeCache();
    expect(statSync(cache).mtimeMs).toBe(written.mtimeMs);
  });

  it('compiles the source when the cache is not one V8 accepts, and replaces it', async () => {
    writeFileSync(cache, Buffer.from('not a code cache at all, just bytes'));
    const loaded = await loadCachedBundle<Exports>(bundle);
    expect(loaded.exports.add(1, 2)).toBe(3);
    loaded.saveCodeCache();
    // Replaced where this Node keeps a cache; left alone (and unread) where it does not.
    expect(readFileSync(cache).toString().includes('not a code cache')).toBe(!cacheWorks);
    expect((await loadCachedBundle<Exports>(bundle)).exports.add(3, 4)).toBe(7);
  });

  it("keeps the cache in NODE_COMPILE_CACHE's folder when it names one (a read-only install's)", async () => {
    const before = process.env.NODE_COMPILE_CACHE;
    process.env.NODE_COMPILE_CACHE = join(dir, 'compile-cache');
    try {
      const loaded = await loadCachedBundle<Exports>(bundle);
      loaded.saveCodeCache();
      const elsewhere = join(dir, 'compile-cache', 'portico', `app-HASH.cjs.${process.version}-${process.arch}.cache`);
      expect(existsSync(elsewhere)).toBe(cacheWorks);
      expect(existsSync(cache)).toBe(false);
      if (!cacheWorks) return;
      // Taken from there: not written again.
      const written = statSync(elsewhere).mtimeMs;
      (await loadCachedBundle<Exports>(bundle)).saveCodeCache();
      expect(statSync(elsewhere).mtimeMs).toBe(written);
    } finally {
      if (before === undefined) delete process.env.NODE_COMPILE_CACHE;
      else process.env.NODE_COMPILE_CACHE = before;
    }
  });

  it('runs, and does not throw, where it cannot read or write the cache', async () => {
    // A folder where the cache would be: neither readable as a file nor replaceable by one.
    mkdirSync(cache);
    const loaded = await loadCachedBundle<Exports>(bundle);
    expect(loaded.exports.add(1, 1)).toBe(2);
    expect(() => loaded.saveCodeCache()).not.toThrow();
    expect(statSync(cache).isDirectory()).toBe(true);
  });

  it('checks a cache before V8 sees it: a corrupt one, or one made for another source, is ignored and deleted', () => {
    const sourceHash = hash('sha256', readFileSync(bundle), 'buffer');
    const data = Buffer.from('what V8 wrote');
    writeFileSync(cache, withHeader(data, sourceHash), { mode: 0o600 });
    expect(readCodeCache(cache, sourceHash, bundle)).toEqual(data);
    // One flipped bit of the data (a torn write, a planted payload without its hash).
    const corrupt = withHeader(data, sourceHash);
    corrupt[corrupt.length - 1] ^= 1;
    writeFileSync(cache, corrupt, { mode: 0o600 });
    expect(readCodeCache(cache, sourceHash, bundle)).toBeUndefined();
    expect(existsSync(cache)).toBe(false);
    // Whole, but made for another source of the same length.
    writeFileSync(cache, withHeader(data, hash('sha256', 'another bundle', 'buffer')), { mode: 0o600 });
    expect(readCodeCache(cache, sourceHash, bundle)).toBeUndefined();
    expect(existsSync(cache)).toBe(false);
    // Bare V8 data without the header (what earlier versions wrote), and a file cut short.
    for (const content of [data, withHeader(data, sourceHash).subarray(0, 40)]) {
      writeFileSync(cache, content, { mode: 0o600 });
      expect(readCodeCache(cache, sourceHash, bundle)).toBeUndefined();
      expect(existsSync(cache)).toBe(false);
    }
    // Writable by others: anyone could have put it there.
    writeFileSync(cache, withHeader(data, sourceHash));
    chmodSync(cache, 0o666);
    expect(readCodeCache(cache, sourceHash, bundle)).toBeUndefined();
  });

  it('runs the bundle past a corrupt cache and replaces it with a good one, through a fresh scratch file', async () => {
    const sourceHash = hash('sha256', readFileSync(bundle), 'buffer');
    const corrupt = withHeader(Buffer.from('garbage V8 would crash on'), sourceHash);
    corrupt[corrupt.length - 1] ^= 1;
    writeFileSync(cache, corrupt, { mode: 0o600 });
    // A scratch file another replica left behind with the old pid-named scheme does not stop the write.
    writeFileSync(`${cache}.1.tmp`, 'another replica');
    const loaded = await loadCachedBundle<Exports>(bundle);
    expect(loaded.exports.add(1, 2)).toBe(3);
    loaded.saveCodeCache();
    // Node 20 (no cache): left as it was, never read.
    if (!cacheWorks) return expect(readFileSync(cache)).toEqual(corrupt);
    const written = readFileSync(cache);
    expect(written.equals(corrupt)).toBe(false);
    expect(readCodeCache(cache, sourceHash, bundle)).toBeDefined();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual(['app-HASH.cjs.' + `${process.version}-${process.arch}.cache.1.tmp`]);
    const again = await loadCachedBundle<Exports>(bundle);
    expect(again.exports.add(2, 5)).toBe(7);
  });
});
