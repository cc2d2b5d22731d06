import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runAttackScenario } from './attack/runAttackScenario.js';
import { benchQuery } from './benchQuery.js';
import { composeBenchSupergraph } from './composeBenchSupergraph.js';
import { benchGateways } from './gateways/benchGateways.js';
import { backendCallsQuery, measureBackendCalls } from './measureBackendCalls.js';
import { measureGatewayOverhead } from './measureGatewayOverhead.js';
import type { BenchOptions } from './parseBenchOptions.js';
import { pinToCpu } from './pinToCpu.js';
import { computeReference } from './reference/computeReference.js';
import type { BenchResults, GatewayRun } from './report/BenchResults.js';
import { createProgressLine } from './report/createProgressLine.js';
import { formatResultsMarkdown } from './report/formatResultsMarkdown.js';
import { rankAgainstApollo } from './report/rankAgainstApollo.js';
import { loadAverage, readMachineInfo } from './report/readMachineInfo.js';
import { runGatewayBench } from './runGatewayBench.js';
import { runSubscriptionScenario } from './subscriptions/runSubscriptionScenario.js';
import { spawnBenchSubgraphs } from './subgraphs/spawnBenchSubgraphs.js';

const gatewayCpu = 0;
const loadCpu = 1;

/**
 * The whole benchmark: subgraphs up, supergraph composed, reference computed; then every
 * gateway in every mode, one after another; then the overhead and backend-call measurements,
 * and the "under attack" scenario. Writes `<out>/<name>.json` and `.md` and returns the results.
 */
export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchResults> {
  // This process (the load generator) and the subgraphs it starts share one CPU; each gateway
  // gets the other to itself.
  const pinned = pinToCpu(loadCpu);
  const machine = readMachineInfo(pinned);
  if (!pinned) log('warning: cannot pin to CPUs (needs two CPUs and taskset); running unpinned');

  const progress = createProgressLine(process.stderr);
  const subgraphs = await spawnBenchSubgraphs();
  try {
    const supergraphFile = join(mkdtempSync(join(tmpdir(), 'portico-bench-')), 'supergraph.graphql');
    writeFileSync(supergraphFile, composeBenchSupergraph(subgraphs.urls));
    const reference = await computeReference(benchQuery);
    const cpu = pinned ? gatewayCpu : null;
    const gateways = benchGateways.filter((gateway) => options.gateways.includes(gateway.id));
    const totalMs = (options.warmupSeconds + options.durationSeconds) * 1000;

    const runs: GatewayRun[] = [];
    for (const gateway of options.throughput ? gateways : []) {
      for (const dedup of gateway.dedupModes.length > 0 ? gateway.dedupModes : [null]) {
        const label = `${gateway.name}, de-dup ${dedup ?? 'none'}`;
        const run = await runGatewayBench(gateway, dedup, {
          supergraphFile,
          subgraphUrls: subgraphs.urls,
          body: JSON.stringify({ query: benchQuery }),
          reference,
          concurrency: options.concurrency,
          warmupMs: options.warmupSeconds * 1000,
          durationMs: options.durationSeconds * 1000,
          gatewayCpu: cpu,
          profileDir: options.profileDir === null ? null : resolve(options.profileDir, `${gateway.id}-${dedup ?? 'none'}`),
          onProgress: (p) => progress.update(label, p, p.phase === 'warm-up' ? options.warmupSeconds * 1000 : options.durationSeconds * 1000),
        });
        progress.end();
        log(summaryOf(label, run, totalMs));
        runs.push(run);
      }
    }

    let overhead: BenchResults['overhead'] = null;
    if (options.overhead) {
      log('gateway overhead: one request at a time, directly and through each gateway');
      overhead = await measureGatewayOverhead(gateways, {
        supergraphFile,
        subgraphUrls: subgraphs.urls,
        warmupMs: options.warmupSeconds * 1000,
        durationMs: options.overheadSeconds * 1000,
        gatewayCpu: cpu,
        profileDir: options.profileDir === null ? null : resolve(options.profileDir),
        onProgress: (label, p) => progress.update(label, p, p.phase === 'warm-up' ? options.warmupSeconds * 1000 : options.overheadSeconds * 1000),
      });
      progress.end();
    }

    let backendCalls: BenchResults['backendCalls'] = null;
    if (options.backendCalls) {
      log('backend calls per query on the demo stack');
      backendCalls = { query: backendCallsQuery, results: await measureBackendCalls() };
    }

    let attack: BenchResults['attack'] = null;
    if (options.attack) {
      log(`under attack: a legitimate client alone, then during each of ${options.attacks.length} attacks (${options.attackSeconds} s each)`);
      attack = await runAttackScenario({
        attacks: options.attacks,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.attackSeconds,
        gatewayCpu: cpu,
        log,
      });
    }

    let subscriptions: BenchResults['subscriptions'] = null;
    if (options.subscriptions) {
      log(
        `subscriptions: ${options.subscribers.join(' and ')} WebSocket subscribers, ${options.subscriptionEventsPerSecond} events/s for ${options.subscriptionSeconds} s`,
      );
      subscriptions = await runSubscriptionScenario({
        subscribers: options.subscribers,
        eventsPerSecond: options.subscriptionEventsPerSecond,
        durationSeconds: options.subscriptionSeconds,
        // The two gateways with federated subscriptions among those chosen.
        gateways: (['portico', 'hive-gateway'] as const).filter((id) => options.gateways.includes(id)),
        gatewayCpu: cpu,
        log,
      });
    }

    const results: BenchResults = {
      machine: { ...machine, loadAverageAtEnd: loadAverage() },
      settings: {
        concurrency: options.concurrency,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        overheadDurationSeconds: options.overheadSeconds,
      },
      gateways: gateways.map((gateway) => ({ name: gateway.name, dedup: gateway.dedup })),
      runs: rankAgainstApollo(runs),
      overhead,
      backendCalls,
      attack,
      subscriptions,
    };
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(join(options.outDir, `${options.name}.json`), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(join(options.outDir, `${options.name}.md`), formatResultsMarkdown(results));
    return results;
  } finally {
    await subgraphs.close();
  }
}

function summaryOf(label: string, run: GatewayRun, totalMs: number): string {
  if (run.outcome !== 'ok') return `${label}: ${run.outcome.toUpperCase()}: ${run.problem ?? ''}`;
  const rps = Math.round(run.requestsPerSecond ?? 0).toLocaleString('en-US');
  return `${label}: ${rps} req/s, p99 ${run.latencyMs?.p99.toFixed(1)} ms, ${run.errors?.total ?? 0} errors (${Math.round(totalMs / 1000)} s)`;
}
