import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { closeClientConnections } from '../support/closeClientConnections.js';
import { postGraphQL } from './fixtures/postGraphQL.js';
import { runGatewayProcess as runCommand } from './fixtures/runGatewayProcess.js';
import { startShop, type Shop } from './fixtures/startShop.js';

let shop: Shop;

beforeAll(async () => {
  shop = await startShop();
});

afterAll(async () => {
  await shop?.stop();
});

describe('portico gateway', () => {
  // One gateway for both (a start costs seconds of CPU): the recorder only watches its sockets.
  it('serves, announces its port, logs its URLs and exits 0 on SIGTERM; connects to nothing but its subgraphs: no usage reporting to Apollo, no cloud metadata probes', async () => {
    // Apollo Gateway alone, unless APOLLO_TELEMETRY_DISABLED is set, probes the AWS, GCP, Azure
    // and Alibaba metadata services at start and sends usage data to Apollo (hourly, and at stop).
    const recorder = fileURLToPath(new URL('./fixtures/recordConnections.cjs', import.meta.url));
    const env = { NODE_OPTIONS: `--require ${recorder}`, APOLLO_TELEMETRY_DISABLED: '' };
    const run = runCommand(['--supergraph', shop.supergraphPath, '--port', '0', '--host', '127.0.0.1'], env);
    const port = await run.port;
    const origin = `http://127.0.0.1:${port}`;
    expect((await fetch(`${origin}/ready`)).status).toBe(200);
    const { body } = await postGraphQL(origin, { query: '{ topProducts(first: 1) { name reviews { body } } }' });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ topProducts: [{ name: 'Table', reviews: [{ body: 'Love it!' }, { body: 'Too expensive.' }] }] });

    // Not a test of the keep-alive drain (that is hostile/lifecycle's): no idle connection to wait out.
    await closeClientConnections();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(`GraphQL: http://127.0.0.1:${port}/graphql`);
    expect(run.output()).toContain(`health: http://127.0.0.1:${port}/health`);
    expect(run.output()).toContain('stopped');

    const outbound = run
      .output()
      .split('\n')
      .filter((line) => line.startsWith('outbound: '));
    const subgraphPorts = [shop.products.url, shop.reviews.url].map((url) => new URL(url).port);
    // The recorder works: the calls to the subgraphs are there.
    expect(outbound).toEqual(expect.arrayContaining(subgraphPorts.map((port) => `outbound: connect 127.0.0.1:${port}`)));
    const elsewhere = outbound.filter((line) => !/^outbound: (connect 127\.0\.0\.1:\d+|lookup 127\.0\.0\.1)$/.test(line));
    expect(elsewhere).toEqual([]);
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
});
