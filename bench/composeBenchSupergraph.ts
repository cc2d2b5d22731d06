import { fileURLToPath } from 'node:url';
import { composeSupergraphFile } from '../cli/compose/composeSupergraphFile.js';
import { readSupergraphConfig } from '../cli/compose/readSupergraphConfig.js';
import type { BenchSubgraphName } from './subgraphs/startBenchSubgraphs.js';

const configFile = fileURLToPath(new URL('./subgraphs/supergraph.yaml', import.meta.url));

/**
 * Composes the bench subgraphs as `portico compose` does, with the URLs they listen on as
 * routing URLs. Composed at every bench start rather than committed: the ports are only known
 * then, every gateway gets the same file unmodified, and there is no copy that could drift.
 */
export function composeBenchSupergraph(urls: Record<BenchSubgraphName, string>): string {
  const config = readSupergraphConfig(configFile);
  const subgraphs = config.subgraphs.map((subgraph) => {
    const url = urls[subgraph.name as BenchSubgraphName];
    if (url === undefined) throw new Error(`no URL for bench subgraph ${subgraph.name}`);
    return { ...subgraph, routingUrl: url };
  });
  return composeSupergraphFile({ ...config, subgraphs }).text;
}
