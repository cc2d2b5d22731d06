import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface StartedDev {
  dev: ChildProcess;
  /** Every line it has printed so far, stdout and stderr. */
  lines: string[];
  /** The gateway's GraphQL URL, as it announced it. */
  url: string;
  exited: Promise<number | null>;
}

/**
 * Starts `portico dev --port 0 --auto-ports` in `cwd` (free ports, so it cannot collide with
 * anything) and resolves once it says it is running; rejects with its output if it exits first.
 */
export async function startDev(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<StartedDev> {
  const dev = spawn(process.execPath, ['bin/portico.js', 'dev', '--port', '0', '--auto-ports'], {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [dev.stdout!, dev.stderr!]) createInterface({ input: stream }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const ready = lines.find((line) => line.startsWith('Portico is running.'));
      if (ready) {
        clearInterval(timer);
        resolve(/GraphQL: (\S+)/.exec(ready)![1]!);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`portico dev exited with ${code}:\n${lines.join('\n')}`));
    });
  });
  return { dev, lines, url, exited };
}
