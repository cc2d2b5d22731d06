import { join } from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../../common/projectRoot.js';
import { explorerAssetsDir } from './explorerAssetsDir.js';

// From the sources: the build compiles no browser code into dist/.
const entry = join(projectRoot, 'gateway', 'explorer', 'client', 'explorerMain.ts');

/**
 * Bundles GraphiQL (from the npm package, React included) into one script and one stylesheet,
 * minified, with no source map and no absolute paths, so the output is the same on every
 * machine and `portico codegen --check` can prove the committed files current.
 */
export async function bundleExplorer(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: { explorer: entry },
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    outdir: explorerAssetsDir,
    write: false,
    logLevel: 'silent',
  });
  return new Map(result.outputFiles.map((file) => [file.path, file.text]));
}
