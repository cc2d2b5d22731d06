import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { acceptEnforcedSecurityLinks } from '../../../gateway/authorization/acceptEnforcedSecurityLinks.js';
import type { GatewayConfig } from '../../../gateway/config/GatewayConfig.js';
import { createPlanCache } from '../../../gateway/execution/createPlanCache.js';
import { createApolloGateway } from '../../../gateway/supergraph/createApolloGateway.js';
import { createServedSupergraph } from '../../../gateway/supergraph/createServedSupergraph.js';
import { createSupergraphManager } from '../../../gateway/supergraph/createSupergraphManager.js';
import { readSupergraph } from '../../../gateway/supergraph/readSupergraph.js';
import { buildSupergraphSnapshot, type SupergraphSnapshot } from '../../../gateway/supergraph/SupergraphSnapshot.js';

/** The demo supergraph, as `portico compose` wrote it. */
export const demoSupergraph = readFileSync('schema/supergraph.graphql', 'utf8');

/** The part of the gateway's config a snapshot reads: `subgraphs` as given, no header rules. */
export function snapshotConfig(subgraphs: Record<string, { url?: string }> = {}): Pick<GatewayConfig, 'subgraphs' | 'headers' | 'supergraph'> {
  return {
    subgraphs: subgraphs as GatewayConfig['subgraphs'],
    headers: { subgraphs: {} } as unknown as GatewayConfig['headers'],
    supergraph: { path: 'schema/supergraph.graphql' } as GatewayConfig['supergraph'],
  };
}

/**
 * Apollo Gateway loading `sdl` from a file through Portico's supergraph manager (watching it), with
 * the served supergraph following it, as `createGatewayServer` wires them; not loaded yet.
 * `replace` renames new content over the file, as deploy tools do.
 */
export function wireApolloGateway(options: { sdl: string; config?: ReturnType<typeof snapshotConfig> }) {
  const logger = pino({ level: 'silent' });
  const swaps: SupergraphSnapshot[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-snapshot-'));
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, options.sdl);
  const replace = (sdl: string) => {
    writeFileSync(path.join(dir, 'next'), sdl);
    renameSync(path.join(dir, 'next'), file);
  };
  const manager = createSupergraphManager({
    source: file,
    kind: 'file',
    read: () => readSupergraph(file),
    initialSdl: options.sdl,
    watch: true,
    pollIntervalMs: 10,
    logger,
    prepare: acceptEnforcedSecurityLinks,
    confirm: () => served.confirm(),
  });
  const gateway = createApolloGateway(manager, logger);
  const served = createServedSupergraph({
    gateway,
    build: (state, apiSchema) => buildSupergraphSnapshot({ served: state, apiSchema, config: options.config ?? snapshotConfig(), planCache: createPlanCache(() => {}) }),
    onSwap: (snapshot) => swaps.push(snapshot),
  });
  return { manager, gateway, served, swaps, replace };
}
