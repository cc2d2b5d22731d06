import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isListeningMessage } from '../../common/announceListening.js';
import { compiledPath } from '../../scripts/buildDist.js';
import { countersClient, unary } from './helpers/grpcClients.js';
import { request } from './helpers/http.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];

/** Starts `backends/<name>/index.ts` as a real process (compiled, as deployed), with an IPC channel like `portico dev`. */
function startEntry(name: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [compiledPath(`backends/${name}/index.ts`)], {
    cwd: root,
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (isListeningMessage(message)) resolve(message.port);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
  });
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe.each([
  { name: 'users', protocol: 'http' },
  { name: 'reviews', protocol: 'http' },
  { name: 'catalog', protocol: 'grpc' },
  { name: 'inventory', protocol: 'grpc' },
])('backends/$name/index.ts', ({ name, protocol }) => {
  it.each(['SIGTERM', 'SIGINT'] as const)('listens on PORT=0, announces the port, serves, and exits 0 on %s', async (signal) => {
    const { child, output } = startEntry(name, { PORT: '0', HOST: '127.0.0.1' });
    const port = await listeningPort(child);
    expect(port).toBeGreaterThan(0);
    if (protocol === 'http') {
      expect((await request(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } else {
      const client = countersClient(`127.0.0.1:${port}`);
      try {
        expect(await unary((md, opts, cb) => client.getCounts({}, md, opts, cb))).toEqual({ counts: {} });
      } finally {
        client.close();
      }
    }
    // The log line comes on stdout, the port over IPC: either may arrive first.
    await vi.waitFor(() => expect(output()).toContain(`${name} listening on `), { timeout: 5_000 });
    expect(output()).toContain(`127.0.0.1:${port}`);
    const exited = once(child, 'exit');
    child.kill(signal);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });
});

it('refuses a bad PORT at start with a message that says what is accepted', async () => {
  const { child, output } = startEntry('users', { PORT: 'eighty' });
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(1);
  expect(output()).toContain("PORT must be an integer from 0 to 65535 (0 picks a free port), got 'eighty'");
});
