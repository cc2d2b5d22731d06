// Types for buildDist.js, which is plain JavaScript so that it runs before anything is built.

/** The folders compiled, relative to the repository root. */
export declare const sourceFolders: readonly string[];

/** Where `source` (relative to the root, `cli/main.ts`) is compiled to, relative to the root (`dist/cli/main.js`). */
export declare function compiledPath(source: string): string;

/**
 * Builds dist/ under `root` (default: this checkout), writing only what changed; `reused` when
 * nothing the last build read had changed and dist/ was as it left it, so nothing was compiled;
 * `reusedSteps` names the costly steps (`bundle`, `validator`) taken from the last build because
 * nothing they read had changed, though other sources had.
 */
export declare function buildDist(options?: {
  root?: string;
}): Promise<{ files: number; written: number; removed: number; reused: boolean; reusedSteps: Array<'bundle' | 'validator'>; ms: number }>;

/** The CommonJS text of the stub the gateway bundle holds in the place of `name` (a module the gateway's packages load but Portico never has them use). */
export declare function leftOutModule(name: string): string;
/** The name the gateway bundle's `import()` calls are renamed to (loadCachedBundle passes a function by it). */
export declare const bundleImportName: string;

/** The build's own scripts (file names in scripts/), whose text is part of what a build's reuse depends on. */
export declare const buildScripts: readonly string[];
