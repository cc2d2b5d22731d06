import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs `portico codegen` in the repository at `root`; a failure says what codegen printed. */
export function runCodegen(root: string): void {
  try {
    execFileSync(process.execPath, [join(root, 'bin/portico.js'), 'codegen'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`portico codegen failed: ${stderr || (error as Error).message}`);
  }
}
