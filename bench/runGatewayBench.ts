import type { BenchGateway, DedupMode } from './gateways/benchGateways.js';
import { findFreePort, startGatewayProcess, type GatewayProcess } from './gateways/startGatewayProcess.js';
import { latencySummary } from './load/percentile.js';
import { runClosedLoop, type LoadProgress } from './load/runClosedLoop.js';
import { checkAnswer } from './reference/checkAnswer.js';
import { createAnswerChecker } from './reference/createAnswerChecker.js';
import type { GatewayRun } from './report/BenchResults.js';
import { sendOnce } from './sendOnce.js';
import { fetchRequestCounts, requestsBetween } from './subgraphs/fetchRequestCounts.js';
import type { BenchSubgraphName } from './subgraphs/startBenchSubgraphs.js';

export interface GatewayBenchSetup {
  supergraphFile: string;
  subgraphUrls: Record<BenchSubgraphName, string>;
  /** The GraphQL request body every request sends. */
  body: string;
  /** The `data` a right answer has. */
  reference: unknown;
  concurrency: number;
  warmupMs: number;
  /** Requests in flight during the warm-up; default `concurrency`. */
  warmupConcurrency?: number;
  durationMs: number;
  /** Null: unpinned. */
  gatewayCpu: number | null;
  /** Where the gateway writes its V8 CPU profile when it exits; null: not profiled. */
  profileDir: string | null;
  onProgress?: (progress: LoadProgress) => void;
}

/**
 * One gateway in one mode: start it, check its answer against the reference (a wrong answer
 * ends the run here, unranked), put it under load, and read its peak memory and the subgraph
 * requests it caused.
 */
export async function runGatewayBench(gateway: BenchGateway, dedup: DedupMode | null, setup: GatewayBenchSetup): Promise<GatewayRun> {
  const run: GatewayRun = { gateway: gateway.id, name: gateway.name, dedup: dedup ?? 'none', outcome: 'ok' };
  let child: GatewayProcess;
  try {
    const port = await findFreePort();
    const command = gateway.command({ supergraphFile: setup.supergraphFile, subgraphUrls: setup.subgraphUrls, port, dedup });
    if (setup.profileDir !== null && command.executable === undefined) command.args.unshift('--cpu-prof', '--cpu-prof-dir', setup.profileDir);
    child = await startGatewayProcess(command, { port, cpu: setup.gatewayCpu });
  } catch (error) {
    return { ...run, outcome: 'failed', problem: `did not start: ${(error as Error).message}` };
  }
  try {
    const beforeAlone = await fetchRequestCounts(setup.subgraphUrls);
    const { status, answer } = await sendOnce(child.url, setup.body);
    const verdict = status === 200 ? checkAnswer(setup.reference, answer) : { ok: false as const, problem: `HTTP ${status}` };
    if (!verdict.ok) return { ...run, outcome: 'wrong', problem: verdict.problem };
    const before = await fetchRequestCounts(setup.subgraphUrls);

    const load = await runClosedLoop({
      url: child.url,
      body: setup.body,
      concurrency: setup.concurrency,
      warmupMs: setup.warmupMs,
      ...(setup.warmupConcurrency ? { warmupConcurrency: setup.warmupConcurrency } : {}),
      durationMs: setup.durationMs,
      check: createAnswerChecker(setup.reference),
      ...(setup.onProgress ? { onProgress: setup.onProgress } : {}),
    });
    if (child.exited()) return { ...run, outcome: 'failed', problem: `exited during the run:\n${child.output()}` };

    const after = await fetchRequestCounts(setup.subgraphUrls);
    const peak = child.peakRssBytes();
    const { 'http-error': http, 'graphql-errors': graphql, wrong, transport } = load.errors;
    return {
      ...run,
      requestsPerSecond: load.requestsPerSecond,
      latencyMs: latencySummary(load.latenciesMs),
      requests: load.requests,
      errors: { total: http + graphql + wrong + transport, http, graphql, wrong, transport },
      peakRssMiB: peak === null ? null : peak / 2 ** 20,
      subgraphRequestsAlone: requestsBetween(beforeAlone, before),
      subgraphRequestsPerOperation: load.totalRequests > 0 ? requestsBetween(before, after) / load.totalRequests : 0,
    };
  } catch (error) {
    return { ...run, outcome: 'failed', problem: `${(error as Error).message}${child.exited() ? `\n${child.output()}` : ''}` };
  } finally {
    await child.stop();
  }
}
