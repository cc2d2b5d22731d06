import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneSubgraphQuery } from './benchQuery.js';
import type { BenchGateway } from './gateways/benchGateways.js';
import { findFreePort, startGatewayProcess, type GatewayProcess } from './gateways/startGatewayProcess.js';
import { latencySummary } from './load/percentile.js';
import { runClosedLoop, type LoadProgress } from './load/runClosedLoop.js';
import { createAnswerChecker } from './reference/createAnswerChecker.js';
import type { LatencyMs, OverheadResults } from './report/BenchResults.js';
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

// Each path is warmed up under load first: one request at a time, a gateway is still compiling
// its hot code thousands of requests after its start (Portico took twice the CPU per request).
const WARMUP_CONCURRENCY = 16;

/**
 * The latency a gateway adds: a query only the products subgraph answers, one request at a
 * time (after a warm-up with 16 in flight), sent to that subgraph directly, through a bare
 * proxy, and then through each gateway (in its default mode).
 * The subgraph's own answer is the reference the gateways must match.
 */
export async function measureGatewayOverhead(gateways: readonly BenchGateway[], setup: OverheadSetup): Promise<OverheadResults> {
  const body = JSON.stringify({ query: oneSubgraphQuery });
  const direct = await sendOnce(setup.subgraphUrls.products, body);
  const reference = (direct.answer as { data?: unknown }).data;
  if (direct.status !== 200 || reference === undefined) throw new Error(`the products subgraph did not answer ${oneSubgraphQuery}`);

  const directLoad = await oneAtATime(setup, setup.subgraphUrls.products, body, reference, 'products subgraph, directly');
  const directLatency = latencySummary(directLoad.latenciesMs);

  const floor = await measureBareProxy(setup, body, reference);
  const results: OverheadResults = {
    query: oneSubgraphQuery,
    direct: directLatency,
    floor: 'latencyMs' in floor ? { latencyMs: floor.latencyMs, addedMs: added(floor.latencyMs, directLatency) } : floor,
    gateways: [],
  };
  for (const gateway of gateways) {
    const run = await runGatewayBench(gateway, gateway.dedupModes[0] ?? null, {
      supergraphFile: setup.supergraphFile,
      subgraphUrls: setup.subgraphUrls,
      body,
      reference,
      concurrency: 1,
      warmupConcurrency: WARMUP_CONCURRENCY,
      warmupMs: setup.warmupMs,
      durationMs: setup.durationMs,
      gatewayCpu: setup.gatewayCpu,
      profileDir: setup.profileDir === null ? null : join(setup.profileDir, `${gateway.id}-overhead`),
      onProgress: (progress) => setup.onProgress?.(`through ${gateway.name}`, progress),
    });
    const latencyMs = run.latencyMs;
    results.gateways.push(
      run.outcome === 'ok' && latencyMs
        ? { gateway: gateway.id, name: gateway.name, outcome: 'ok', latencyMs, addedMs: added(latencyMs, directLatency) }
        : { gateway: gateway.id, name: gateway.name, outcome: run.outcome, problem: run.problem ?? 'no latency measured' },
    );
  }
  return results;
}

/** One request at a time, after the warm-up under load, every answer checked. */
const oneAtATime = (setup: OverheadSetup, url: string, body: string, reference: unknown, label: string) =>
  runClosedLoop({
    url,
    body,
    concurrency: 1,
    warmupConcurrency: WARMUP_CONCURRENCY,
    warmupMs: setup.warmupMs,
    durationMs: setup.durationMs,
    check: createAnswerChecker(reference),
    onProgress: (progress) => setup.onProgress?.(label, progress),
  });

const added = (through: LatencyMs, direct: LatencyMs) => ({ p50: through.p50 - direct.p50, p99: through.p99 - direct.p99 });

/**
 * The same requests through `bareProxy.ts` (node:http and undici, no GraphQL work), pinned as
 * the gateways are: the least any Node.js process in the middle adds on this machine.
 */
async function measureBareProxy(setup: OverheadSetup, body: string, reference: unknown): Promise<{ latencyMs: LatencyMs } | { problem: string }> {
  let proxy: GatewayProcess;
  try {
    const port = await findFreePort();
    proxy = await startGatewayProcess(
      { args: ['--import', 'tsx', fileURLToPath(new URL('./gateways/bareProxy.ts', import.meta.url)), setup.subgraphUrls.products, String(port)] },
      { port, cpu: setup.gatewayCpu },
    );
  } catch (error) {
    return { problem: `did not start: ${(error as Error).message}` };
  }
  try {
    const load = await oneAtATime(setup, proxy.url, body, reference, 'through a bare Node.js proxy');
    const failed = Object.values(load.errors).reduce((sum, count) => sum + count, 0);
    return failed > 0 ? { problem: `${failed} of ${load.requests} answers were not right` } : { latencyMs: latencySummary(load.latenciesMs) };
  } finally {
    await proxy.stop();
  }
}
