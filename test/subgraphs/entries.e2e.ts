import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { isListeningMessage } from '../../common/announceListening.js';
import { compiledPath } from '../../scripts/buildDist.js';

// A subgraph's entry file as it runs in production (compiled): what it refuses to start with, and
// what it refuses to answer.
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [compiledPath('subgraphs/accounts/index.ts')], {
    env: { ...process.env, NODE_ENV: 'production', LOG_FORMAT: 'json', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = new Promise<number>((resolve, reject) => {
    child.on('message', (message) => isListeningMessage(message) && resolve(message.port));
    void exited.then((code) => reject(new Error(`exited with ${code}: ${lines.join('\n')}`)));
  });
  // Tests of a refused start never ask for the port.
  port.catch(() => undefined);
  return { child, lines, exited, port };
}

describe('a subgraph in production', () => {
  it('refuses to start without PORTICO_SIGNING_SECRET, saying what to set', async () => {
    const { exited, lines } = start({ PORTICO_SIGNING_SECRET: '' });
    expect(await exited).toBe(1);
    expect(lines.join('\n')).toContain("PORTICO_SIGNING_SECRET must be set outside development: the same secret as the gateway's subgraphSigning.secret.");
  });

  it('refuses the public development secret', async () => {
    const { exited, lines } = start({ PORTICO_SIGNING_SECRET: 'portico-development-signing-secret' });
    expect(await exited).toBe(1);
    expect(lines.join('\n')).toContain('PORTICO_SIGNING_SECRET is the public development secret');
  });

  it('answers only signed requests, and exits 0 on SIGTERM', async () => {
    const { child, exited, port, lines } = start({ PORTICO_SIGNING_SECRET: 'production-signing-secret-0123' });
    const response = await fetch(`http://127.0.0.1:${await port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portico-identity': '{"sub":"1","scopes":[],"claims":{}}' },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'Request refused: the request is not signed by the gateway. This subgraph answers only requests signed by the Portico gateway.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, lines.join('\n')).toBe(0);
  });
});
