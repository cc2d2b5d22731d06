import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

/** How to run one gateway: Node's arguments and the environment it needs besides NODE_ENV. */
export interface GatewayCommand {
  /** A program other than Node.js (a native gateway); `args` are then its own, and it is not profiled. */
  executable?: string;
  args: string[];
  env?: Record<string, string>;
  /** @default the repository root */
  cwd?: string;
}

export interface GatewayProcess {
  pid: number;
  /** Its GraphQL endpoint. */
  url: string;
  /** Whether it has exited (on its own: `stop` was not called). */
  exited(): boolean;
  /** The process's peak resident set size so far (VmHWM), in bytes; null where /proc is missing. */
  peakRssBytes(): number | null;
  /** Its resident set size now (VmRSS), in bytes; null where /proc is missing or it has exited. */
  rssBytes(): number | null;
  /** The last lines it printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartGatewayOptions {
  port: number;
  /** Pin the process to this CPU with `taskset`; null runs it unpinned. */
  cpu: number | null;
  /** @default 60000 */
  readyTimeoutMs?: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const keptOutputChars = 8192;

/**
 * Starts a gateway process with NODE_ENV=production from the repository root and resolves when
 * it answers `{ __typename }` with 200 at `http://127.0.0.1:PORT/graphql`.
 */
export async function startGatewayProcess(command: GatewayCommand, options: StartGatewayOptions): Promise<GatewayProcess> {
  const argv = [command.executable ?? process.execPath, ...command.args];
  const [file, ...args] = options.cpu === null ? argv : ['taskset', '-c', String(options.cpu), ...argv];
  const child = spawn(file!, args, {
    cwd: command.cwd ?? root,
    env: { ...process.env, ...command.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-keptOutputChars);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  let stopping = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      output += `\n${error.message}`;
      exited = true;
      resolve();
    });
  });
  const url = `http://127.0.0.1:${options.port}/graphql`;
  const gateway: GatewayProcess = {
    pid: child.pid ?? -1,
    url,
    exited: () => exited && !stopping,
    peakRssBytes: () => statusBytesOf(child.pid, 'VmHWM'),
    rssBytes: () => statusBytesOf(child.pid, 'VmRSS'),
    output: () => output,
    async stop() {
      stopping = true;
      if (exited) return;
      child.kill('SIGTERM');
      const killed = sleep(10_000).then(() => !exited && child.kill('SIGKILL'));
      await Promise.race([exit, killed]);
      await exit;
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (!(await answers(url))) {
    if (exited) throw new Error(`the gateway exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      await gateway.stop();
      throw new Error(`the gateway was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`);
    }
    await sleep(200);
  }
  return gateway;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      headersTimeout: 2000,
      bodyTimeout: 2000,
    });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

/** A size field of /proc/PID/status (`VmHWM`, `VmRSS`), in bytes. */
function statusBytesOf(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | null {
  if (pid === undefined) return null;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts a gateway that must be told its port on one found free, and on another one if something
 * else took that port between the two (the gateway exits with EADDRINUSE): tests run in parallel
 * processes that all take free ports. Any other failure is thrown at once.
 */
export async function startOnFreePort(
  command: (port: number) => GatewayCommand,
  options: Omit<StartGatewayOptions, 'port'>,
  attempts = 3,
): Promise<GatewayProcess> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    try {
      return await startGatewayProcess(command(port), { ...options, port });
    } catch (error) {
      if (attempt >= attempts || !String((error as Error).message).includes('EADDRINUSE')) throw error;
    }
  }
}

/** A TCP port free on 127.0.0.1 right now, for gateways that must be told their port. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
