// Types for bundleCli.js, which is plain JavaScript so that the build runs before anything is built.

/** What `bin/portico.js` imports, relative to the root (`cli/main.ts`): bundled by the build. */
export declare const cliEntry: string;
