import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isListeningMessage } from '../../common/announceListening.js';
import { compiledPath } from '../../scripts/buildDist.js';

// The repository root: entries and dist/ are relative to it.
const root = fileURLToPath(new URL('../../', import.meta.url));

export interface EntryProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** The port the process announced over IPC, as services started by `portico dev` do. */
  port: Promise<number>;
}

/**
 * Runs an entry as a real process, as deployed: `bin/portico.js`, or a TypeScript entry
 * (`subgraphs/products/index.ts`) compiled by the build the tests run first, from the repository
 * root, with JSON logs at info and an IPC channel.
 */
export function runEntryProcess(entry: string, args: string[] = [], env: Record<string, string> = {}): EntryProcess {
  const file = entry.endsWith('.ts') ? compiledPath(entry) : entry;
  const child = spawn(process.execPath, [file, ...args], {
    cwd: root,
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = new Promise<number>((resolve, reject) => {
    child.on('message', (message) => isListeningMessage(message) && resolve(message.port));
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
  port.catch(() => undefined);
  return { child, output: () => output, exited, port };
}
