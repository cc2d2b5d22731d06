import type { SupergraphSubgraph } from '../supergraph/routeSubgraphs.js';
import type { SubgraphClient } from './createSubgraphClient.js';

export interface SubgraphClients {
  /** The client of a subgraph of the supergraph served now. */
  get(name: string): SubgraphClient | undefined;
  /**
   * Follows a (re)loaded supergraph: a client per subgraph, kept while its URL stays, made anew
   * when it moves; clients of subgraphs that left are closed once their requests finish.
   */
  sync(subgraphs: readonly SupergraphSubgraph[]): void;
  close(): Promise<void>;
}

/** The subgraph clients of the gateway, one connection pool per subgraph and URL. */
export function createSubgraphClients(create: (subgraph: SupergraphSubgraph) => SubgraphClient): SubgraphClients {
  let clients = new Map<string, { url: string; client: SubgraphClient }>();
  // Replaced clients finishing their requests; each leaves the set once closed.
  const closing = new Set<Promise<void>>();
  return {
    get: (name) => clients.get(name)?.client,
    sync(subgraphs) {
      const next = new Map<string, { url: string; client: SubgraphClient }>();
      for (const subgraph of subgraphs) {
        const current = clients.get(subgraph.name);
        next.set(subgraph.name, current?.url === subgraph.url ? current : { url: subgraph.url, client: create(subgraph) });
      }
      for (const [name, entry] of clients) {
        if (next.get(name) === entry) continue;
        const closed: Promise<void> = entry.client.close().finally(() => closing.delete(closed));
        closing.add(closed);
      }
      clients = next;
    },
    async close() {
      await Promise.all([...[...clients.values()].map(({ client }) => client.close()), ...closing]);
    },
  };
}
