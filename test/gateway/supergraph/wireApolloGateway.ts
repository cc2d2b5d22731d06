import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { GatewayConfig } from '../../../gateway/config/GatewayConfig.js';
import { loadGatewayConfig } from '../../../gateway/config/loadGatewayConfig.js';
import { createPlanCache } from '../../../gateway/execution/createPlanCache.js';
import { createGatewaySupergraph } from '../../../gateway/supergraph/createGatewaySupergraph.js';
import type { SupergraphSnapshot } from '../../../gateway/supergraph/SupergraphSnapshot.js';

/** The demo supergraph, as `portico compose` wrote it. */
export const demoSupergraph = readFileSync('schema/supergraph.graphql', 'utf8');

/** The part of the gateway's config a snapshot reads: `subgraphs` as given, no header rules. */
export function snapshotConfig(subgraphs: Record<string, { url?: string }> = {}): Pick<GatewayConfig, 'subgraphs' | 'headers' | 'supergraph' | 'mode'> {
  return {
    mode: 'development',
    subgraphs: subgraphs as GatewayConfig['subgraphs'],
    headers: { subgraphs: {} } as unknown as GatewayConfig['headers'],
    supergraph: { path: 'schema/supergraph.graphql' } as GatewayConfig['supergraph'],
  };
}

/**
 * The gateway's supergraph as `createGatewayServer` builds it (`createGatewaySupergraph`), from
 * `sdl` written to a file it watches, with `subgraphs` as config; not loaded yet (Apollo Server
 * loads it at start; tests call `gateway.load()`). `replace` renames new content over the file,
 * as deploy tools do.
 */
export async function wireApolloGateway(options: { sdl: string; subgraphs?: Record<string, { url: string }> }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-snapshot-'));
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, options.sdl);
  const configFile = path.join(dir, 'gateway.json');
  writeFileSync(configFile, JSON.stringify({ mode: 'development', supergraph: { path: file, pollIntervalMs: 10 }, subgraphs: options.subgraphs ?? {} }));
  const config = loadGatewayConfig({ file: configFile, env: {} });
  const swaps: SupergraphSnapshot[] = [];
  const supergraph = await createGatewaySupergraph(config, {
    logger: pino({ level: 'silent' }),
    createPlanCache: () => createPlanCache(() => {}),
    onSwap: (snapshot) => swaps.push(snapshot),
  });
  const replace = (sdl: string) => {
    writeFileSync(path.join(dir, 'next'), sdl);
    renameSync(path.join(dir, 'next'), file);
  };
  return { manager: supergraph, gateway: supergraph.gateway, served: supergraph, swaps, replace, file };
}
