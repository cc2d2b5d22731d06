import { ConfigError } from '../config/ConfigError.js';
import type { GatewayConfig } from '../config/GatewayConfig.js';

export interface SupergraphSubgraph {
  /** The subgraph's name as composition knows it (`join__graph(name:)`). */
  name: string;
  /** Where the gateway sends its requests: config's `subgraphs.<name>.url`, else the routing URL as composed. */
  url: string;
}

/**
 * The supergraph's subgraphs with config's URL overrides: the one place an override is applied.
 * Throws `ConfigError` for an override or header rule naming a subgraph the supergraph lacks.
 */
export function routeSubgraphs(
  config: Pick<GatewayConfig, 'subgraphs' | 'headers' | 'supergraph'>,
  composed: readonly { name: string; url: string }[],
): SupergraphSubgraph[] {
  const known = new Set(composed.map((subgraph) => subgraph.name));
  const unknown = [
    ...Object.keys(config.subgraphs).map((name) => ({ at: `subgraphs.${name}`, name })),
    ...Object.keys(config.headers.subgraphs).map((name) => ({ at: `headers.subgraphs.${name}`, name })),
  ].filter(({ name }) => !known.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map(({ at }) => `${at}: no subgraph of that name in ${config.supergraph.url ?? config.supergraph.path} (known: ${[...known].join(', ')})`),
    );
  }
  return composed.map(({ name, url }) => ({ name, url: (Object.hasOwn(config.subgraphs, name) ? config.subgraphs[name]?.url : undefined) ?? url }));
}
