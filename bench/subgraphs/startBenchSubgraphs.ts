import { buildSubgraphSchema } from '@apollo/subgraph';
import { closeHttp, listenHttp } from '../../common/process/listenHttp.js';
import { accounts } from './accounts.js';
import type { BenchSubgraph } from './BenchSubgraph.js';
import { createMemoisedServer, type MemoisedServer } from './createMemoisedServer.js';
import { inventory } from './inventory.js';
import { products } from './products.js';
import { reviews } from './reviews.js';

export type BenchSubgraphName = BenchSubgraph['name'];

export const benchSubgraphs: readonly BenchSubgraph[] = [accounts, inventory, products, reviews];

export interface RunningBenchSubgraphs {
  /** Each subgraph's GraphQL URL, e.g. `http://127.0.0.1:41234/graphql`. */
  urls: Record<BenchSubgraphName, string>;
  close(): Promise<void>;
}

/** Builds the four memoised bench subgraphs and listens on free ports of `host`. */
export async function startBenchSubgraphs(host = '127.0.0.1'): Promise<RunningBenchSubgraphs> {
  const running: Array<{ name: BenchSubgraphName; server: MemoisedServer }> = [];
  const close = async () => {
    await Promise.all(running.map(({ server }) => closeHttp(server.server, 1000)));
  };
  try {
    const urls = {} as Record<BenchSubgraphName, string>;
    for (const subgraph of benchSubgraphs) {
      const server = createMemoisedServer(buildSubgraphSchema({ typeDefs: subgraph.typeDefs, resolvers: subgraph.resolvers }));
      running.push({ name: subgraph.name, server });
      urls[subgraph.name] = `http://${host}:${await listenHttp(server.server, 0, host)}/graphql`;
    }
    return { urls, close };
  } catch (error) {
    await close();
    throw error;
  }
}
