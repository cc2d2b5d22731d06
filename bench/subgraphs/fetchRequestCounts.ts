import { countPath } from './createMemoisedServer.js';
import type { BenchSubgraphName } from './startBenchSubgraphs.js';

/** How many GraphQL requests each bench subgraph has received since it started. */
export async function fetchRequestCounts(urls: Record<BenchSubgraphName, string>): Promise<Record<BenchSubgraphName, number>> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      const response = await fetch(new URL(countPath, url), { signal: AbortSignal.timeout(5000) });
      if (response.status !== 200) throw new Error(`${name} subgraph: GET ${countPath} answered ${response.status}`);
      return [name, ((await response.json()) as { requests: number }).requests] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<BenchSubgraphName, number>;
}

/** The requests received between two counts, all subgraphs together. */
export function requestsBetween(before: Record<string, number>, after: Record<string, number>): number {
  return Object.keys(after).reduce((sum, name) => sum + (after[name]! - (before[name] ?? 0)), 0);
}
