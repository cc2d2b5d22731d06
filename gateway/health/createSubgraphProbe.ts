import { fetch } from 'undici';

export interface ProbedSubgraph {
  name: string;
  url: string;
}

/** One subgraph's answer to a probe: `"reachable"`, or why not (never its URL: that is in `url`). */
export interface SubgraphProbeResult extends ProbedSubgraph {
  state: string;
}

/**
 * For `/ready` with `server.readyChecksSubgraphs`: asks every subgraph `{ __typename }` (which any
 * GraphQL server answers, Portico's or not) and reports `"reachable"` or why not, each within
 * `timeoutMs`. A probe is one small POST per subgraph per `/ready` call. `subgraphs` gives the
 * subgraphs of the supergraph served now, which a reload may change.
 */
export function createSubgraphProbe(subgraphs: () => readonly ProbedSubgraph[], timeoutMs: number): () => Promise<SubgraphProbeResult[]> {
  return () => Promise.all(subgraphs().map(async ({ name, url }) => ({ name, url, state: await probe(url, timeoutMs) })));
}

async function probe(url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => undefined)) as { data?: { __typename?: unknown } } | undefined;
    if (response.status === 200 && body?.data?.__typename) return 'reachable';
    return `answered HTTP ${response.status} without a GraphQL result`;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    // Only a code: the messages of connection errors name the address.
    return `unreachable${code && /^[A-Z_]+$/.test(code) ? ` (${code})` : ''}`;
  }
}
