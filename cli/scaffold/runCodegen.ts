import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs `portico codegen --types-only` in the repository at `root` (a subgraph added or removed
 * changes the typed resolvers and gRPC types, nothing else codegen writes); a failure says what
 * codegen printed.
 */
export function runCodegen(root: string): void {
  try {
    execFileSync(process.execPath, [join(root, 'bin/portico.js'), 'codegen', '--types-only'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`portico codegen failed: ${stderr || (error as Error).message}`);
  }
}
