import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { isListeningMessage } from '../../common/announceListening.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { startShop, type Shop } from './fixtures/startShop.js';

const script = fileURLToPath(new URL('./fixtures/runGatewayCommand.ts', import.meta.url));
// The repository root, where tsx resolves from; every path the tests pass is absolute.
const root = fileURLToPath(new URL('../../', import.meta.url));
let shop: Shop;

beforeAll(async () => {
  shop = await startShop();
});

afterAll(async () => {
  await shop?.stop();
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** The port the command announced over IPC. */
  port: Promise<number>;
}

function runCommand(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'development' },
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

describe('portico gateway', () => {
  it('serves, announces its port, logs its URLs and exits 0 on SIGTERM', async () => {
    const run = runCommand(['--supergraph', shop.supergraphPath, '--port', '0', '--host', '127.0.0.1']);
    const port = await run.port;
    const origin = `http://127.0.0.1:${port}`;
    expect((await fetch(`${origin}/ready`)).status).toBe(200);
    const { body } = await postGraphQL(origin, { query: '{ topProducts(first: 1) { name reviews { body } } }' });
    expect(body.data).toEqual({ topProducts: [{ name: 'Table', reviews: [{ body: 'Love it!' }, { body: 'Too expensive.' }] }] });

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(`GraphQL: http://127.0.0.1:${port}/graphql`);
    expect(run.output()).toContain(`health: http://127.0.0.1:${port}/health`);
    expect(run.output()).toContain('stopped');
  });

  it('takes the config file, with flags winning over it and --subgraph-url routing a subgraph', async () => {
    const config = path.join(shop.dir, 'cli.yaml');
    writeFileSync(config, `server:\n  port: 1\n  host: 127.0.0.1\nsupergraph:\n  path: ${shop.supergraphPath}\n`);
    const run = runCommand(['--config', config, '--port', '0', '--subgraph-url', `reviews=${shop.reviews.url}`]);
    const port = await run.port;
    expect(port).not.toBe(1);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    // Read once the process has exited: its output may arrive after the IPC message.
    expect(run.output()).toContain(`subgraph reviews at ${shop.reviews.url}`);
  });

  it('prints a config error without a stack and exits 1', async () => {
    const run = runCommand(['--supergraph', shop.supergraphPath, '--port', 'abc']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('portico gateway: Invalid gateway configuration: server.port: must be an integer from 0 to 65535 (got "abc")');
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('refuses a --subgraph-url for a subgraph the supergraph does not have', async () => {
    const run = runCommand(['--supergraph', shop.supergraphPath, '--port', '0', '--subgraph-url', 'inventory=http://inventory.invalid/graphql']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/subgraphs\.inventory: no subgraph of that name .*\(known: products, reviews\)/);
  });

  it('refuses --watch in production: a deployed gateway loads its supergraph once', async () => {
    const config = path.join(shop.dir, 'watch-production.yaml');
    writeFileSync(config, 'mode: production\nsubgraphSigning:\n  secret: a-production-signing-secret-0123\n');
    const run = runCommand(['--supergraph', shop.supergraphPath, '--port', '0', '--config', config, '--watch']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('--watch: reloading the supergraph is for development');
  });
});
