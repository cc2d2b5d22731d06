import { fileURLToPath } from 'node:url';

/**
 * Where the bundled explorer is committed and served from. Its own module, so that the gateway
 * can find the assets without loading esbuild, which only `portico codegen` needs.
 */
export const explorerAssetsDir = fileURLToPath(new URL('./generated/', import.meta.url));
