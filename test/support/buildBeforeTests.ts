import { buildDist } from '../../scripts/buildDist.js';

/**
 * Vitest's global setup: compiles dist/ before any test file runs, so a test that spawns
 * `bin/portico.js` or a compiled entry runs the code as it is now, even when one file is run
 * alone (`npx vitest run one.e2e.ts`). The build is incremental: nothing is written when dist/
 * is current.
 */
export async function setup(): Promise<void> {
  await buildDist();
}
