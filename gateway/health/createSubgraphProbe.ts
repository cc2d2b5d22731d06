import { Headers } from '../../common/headers.js';
import { readBoundedJson } from '../../common/http/readBoundedJson.js';
import { signRequest } from '../../common/signing/signRequest.js';

// `{ __typename }` is answered in some 40 bytes: a subgraph answering more is not read past this.
const MAX_PROBE_ANSWER_BYTES = 64 * 1024;

export interface ProbedSubgraph {
  name: string;
  url: string;
}

/** One subgraph's answer to a probe: `"reachable"`, or why not (never its URL: that is in `url`). */
export interface SubgraphProbeResult extends ProbedSubgraph {
  state: string;
}

export interface SubgraphProbeOptions {
  /** How long one probe may take before it counts as no answer. */
  timeoutMs: number;
  /**
   * `subgraphSigning.secret`: a probe is signed like every other subgraph request, since
   * subgraphs that verify signatures (Portico's, in production) refuse anything unsigned, and
   * an unsigned probe would call every such subgraph unreachable.
   */
  signingSecret: string;
}

/**
 * For `/ready` with `server.readyChecksSubgraphs`: asks every subgraph `{ __typename }` (which any
 * GraphQL server answers, Portico's or not), signed as the gateway signs its requests, and reports
 * `"reachable"` or why not, each within `timeoutMs` and reading at most 64 KiB of its answer. A
 * probe is one small POST per subgraph per `/ready` call. `subgraphs` gives the subgraphs of the
 * supergraph served now, which a reload may change.
 */
export function createSubgraphProbe(subgraphs: () => readonly ProbedSubgraph[], options: SubgraphProbeOptions): () => Promise<SubgraphProbeResult[]> {
  return () => Promise.all(subgraphs().map(async ({ name, url }) => ({ name, url, state: await probe(name, url, options) })));
}

async function probe(name: string, url: string, { timeoutMs, signingSecret }: SubgraphProbeOptions): Promise<string> {
  try {
    const body = JSON.stringify({ query: '{ __typename }' });
    const { pathname, search } = new URL(url);
    const headers: Record<string, string> = { 'content-type': 'application/json', [Headers.deadline]: String(timeoutMs) };
    Object.assign(headers, signRequest(signingSecret, { method: 'POST', path: `${pathname}${search}`, audience: name, body, headers }));
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const answer = (await readBoundedJson(response, MAX_PROBE_ANSWER_BYTES)) as { data?: { __typename?: unknown } };
    if (response.status === 200 && answer.data?.__typename) return 'reachable';
    return `answered HTTP ${response.status} without a GraphQL result`;
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    // Only a code: the messages of connection errors name the address.
    return `unreachable${code && /^[A-Z_]+$/.test(code) ? ` (${code})` : ''}`;
  }
}
