import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../gateway/config/ConfigError.js';
import { loadGatewayConfig } from '../../../gateway/config/loadGatewayConfig.js';
import { createPlanCache } from '../../../gateway/execution/createPlanCache.js';
import { createGatewaySupergraph, type GatewaySupergraphOptions } from '../../../gateway/supergraph/createGatewaySupergraph.js';
import { demoSupergraph, wireApolloGateway } from './wireApolloGateway.js';

const gateways: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop();
});

function configWith(supergraph: Record<string, unknown>) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'portico-gateway-supergraph-')), 'gateway.json');
  writeFileSync(file, JSON.stringify({ mode: 'development', supergraph }));
  return loadGatewayConfig({ file, env: {} });
}

const options: GatewaySupergraphOptions = { logger: pino({ level: 'silent' }), createPlanCache: () => createPlanCache(() => {}), onSwap: () => {} };

describe('createGatewaySupergraph', () => {
  it('refuses a supergraph file it cannot read, as config, before building anything', async () => {
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'portico-gateway-supergraph-')), 'supergraph.graphql');
    writeFileSync(missing, demoSupergraph);
    const config = configWith({ path: missing });
    // Gone between the config check and the read, as a deploy tool's rename can leave it.
    rmSync(missing);
    const failure = createGatewaySupergraph(config, options);
    await expect(failure).rejects.toThrow(ConfigError);
    await expect(failure).rejects.toThrow(`supergraph.path: Cannot read the supergraph ${missing}: `);
  });

  it('loads through Apollo Gateway, follows it, and reports status for /ready', async () => {
    const wired = await wireApolloGateway({ sdl: demoSupergraph });
    gateways.push(wired.gateway);
    await wired.gateway.load();
    expect(wired.swaps).toHaveLength(1);
    expect(wired.served.current().subgraphs.map(({ name }) => name)).toEqual(['accounts', 'inventory', 'products', 'reviews']);
    expect(wired.manager.status()).toMatchObject({ source: wired.file, reloads: 0 });
  });

  it("turns Apollo Gateway's refusal at start into a ConfigError that names the key and says what is wrong", async () => {
    const wired = await wireApolloGateway({ sdl: 'type Query { a: Int }' });
    const error = await wired.gateway.load().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    const refused = wired.manager.loadError(error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused.message).toBe(
      `Invalid gateway configuration: supergraph.path: the gateway cannot load ${wired.file}: The supergraph ${wired.file} names no subgraphs (Invalid supergraph: must be a core schema); is it the output of "portico compose"?`,
    );
    // Config errors found while loading are already what the start fails with.
    const own = new ConfigError(['subgraphs.x: no subgraph of that name']);
    expect(wired.manager.loadError(own)).toBe(own);
  });

  it('cuts the refusal short when graphql-js quotes a whole file of garbage', async () => {
    const wired = await wireApolloGateway({ sdl: 'a'.repeat(100_000) });
    const error = await wired.gateway.load().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    const { message } = wired.manager.loadError(error);
    expect(message).toMatch(
      /^Invalid gateway configuration: supergraph\.path: the gateway cannot load .* is not valid GraphQL SDL: Syntax Error: Unexpected Name "a+… \(cut: \d+ characters in all\)$/,
    );
    expect(message.length).toBeLessThan(600);
  });
});
