import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/portico.js ...args` in `cwd` and resolves with its exit code and output. */
export function runPortico(cwd: string, args: string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/portico.js', ...args], { cwd, timeout: 240_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
