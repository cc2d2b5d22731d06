import { join } from 'node:path';
import { oneSubgraphQuery } from './benchQuery.js';
import type { BenchGateway } from './gateways/benchGateways.js';
import { latencySummary } from './load/percentile.js';
import { runClosedLoop, type LoadProgress } from './load/runClosedLoop.js';
import { createAnswerChecker } from './reference/createAnswerChecker.js';
import type { OverheadResults } from './report/BenchResults.js';
import { runGatewayBench } from './runGatewayBench.js';
import { sendOnce } from './sendOnce.js';
import type { BenchSubgraphName } from './subgraphs/startBenchSubgraphs.js';

export interface OverheadSetup {
  supergraphFile: string;
  subgraphUrls: Record<BenchSubgraphName, string>;
  warmupMs: number;
  durationMs: number;
  gatewayCpu: number | null;
  /** Each gateway writes its V8 CPU profile under `<profileDir>/<gateway>-overhead/`; null: not profiled. */
  profileDir: string | null;
  onProgress?: (label: string, progress: LoadProgress) => void;
}

/**
 * The latency a gateway adds: a query only the products subgraph answers, one request at a
 * time, sent to that subgraph directly and then through each gateway (in its default mode).
 * The subgraph's own answer is the reference the gateways must match.
 */
export async function measureGatewayOverhead(gateways: readonly BenchGateway[], setup: OverheadSetup): Promise<OverheadResults> {
  const body = JSON.stringify({ query: oneSubgraphQuery });
  const direct = await sendOnce(setup.subgraphUrls.products, body);
  const reference = (direct.answer as { data?: unknown }).data;
  if (direct.status !== 200 || reference === undefined) throw new Error(`the products subgraph did not answer ${oneSubgraphQuery}`);

  const directLoad = await runClosedLoop({
    url: setup.subgraphUrls.products,
    body,
    concurrency: 1,
    warmupMs: setup.warmupMs,
    durationMs: setup.durationMs,
    check: createAnswerChecker(reference),
    onProgress: (progress) => setup.onProgress?.('products subgraph, directly', progress),
  });
  const directLatency = latencySummary(directLoad.latenciesMs);

  const results: OverheadResults = { query: oneSubgraphQuery, direct: directLatency, gateways: [] };
  for (const gateway of gateways) {
    const run = await runGatewayBench(gateway, gateway.dedupModes[0] ?? null, {
      supergraphFile: setup.supergraphFile,
      subgraphUrls: setup.subgraphUrls,
      body,
      reference,
      concurrency: 1,
      warmupMs: setup.warmupMs,
      durationMs: setup.durationMs,
      gatewayCpu: setup.gatewayCpu,
      profileDir: setup.profileDir === null ? null : join(setup.profileDir, `${gateway.id}-overhead`),
      onProgress: (progress) => setup.onProgress?.(`through ${gateway.name}`, progress),
    });
    const latencyMs = run.latencyMs;
    results.gateways.push(
      run.outcome === 'ok' && latencyMs
        ? { gateway: gateway.id, name: gateway.name, outcome: 'ok', latencyMs, addedMs: { p50: latencyMs.p50 - directLatency.p50, p99: latencyMs.p99 - directLatency.p99 } }
        : { gateway: gateway.id, name: gateway.name, outcome: run.outcome, problem: run.problem ?? 'no latency measured' },
    );
  }
  return results;
}
