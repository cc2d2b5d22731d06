import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { isListeningMessage } from '../../common/announceListening.js';

export interface ChildOptions {
  /** Label on every line the child prints. */
  name: string;
  /** Arguments to node: the entry file and its arguments. */
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where prefixed lines go. */
  write(line: string): void;
  /**
   * How long the child may take to say it is listening.
   * @default 30000
   */
  startTimeoutMs?: number;
}

export interface RunningChild {
  name: string;
  process: ChildProcess;
  port: number;
  /** Settles when the child has exited, with its exit code (null after a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts a service as a child process with its output prefixed by its name, and resolves once
 * it reports the port it listens on. A child that exits or stays silent first is an error that
 * quotes its last lines.
 */
export function startChild(options: ChildOptions): Promise<RunningChild> {
  const { name, write, startTimeoutMs = 30_000 } = options;
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const recent: string[] = [];
  const prefix = (stream: Readable) =>
    createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      write(`${name} | ${line}`);
    });
  prefix(child.stdout!);
  prefix(child.stderr!);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${startTimeoutMs} ms.`));
    }, startTimeoutMs);
    child.on('message', (message) => {
      if (!isListeningMessage(message)) return;
      clearTimeout(timer);
      resolve({ name, process: child, port: message.port, exited });
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not be started: ${error.message}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready. Its last lines:\n${recent.join('\n')}`));
    });
  });
}

/** Asks a child to stop with SIGTERM, and kills it if it has not exited within `graceMs`. */
export async function stopChild(child: RunningChild, graceMs = 10_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}
