import { join } from 'node:path';
import { projectRoot } from '../../common/projectRoot.js';

/**
 * Where the bundled explorer is committed and served from. Its own module, so that the gateway
 * can find the assets without loading esbuild, which only `portico codegen` needs.
 */
export const explorerAssetsDir = join(projectRoot, 'gateway', 'explorer', 'generated');
