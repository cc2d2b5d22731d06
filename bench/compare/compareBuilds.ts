import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchQuery, oneSubgraphQuery } from '../benchQuery.js';
import { composeBenchSupergraph } from '../composeBenchSupergraph.js';
import { porticoCommand, type BenchGateway, type DedupMode } from '../gateways/benchGateways.js';
import { findFreePort, startGatewayProcess, type GatewayProcess } from '../gateways/startGatewayProcess.js';
import { runClosedLoop } from '../load/runClosedLoop.js';
import { pinToCpu } from '../pinToCpu.js';
import { checkAnswer } from '../reference/checkAnswer.js';
import { computeReference } from '../reference/computeReference.js';
import { createAnswerChecker } from '../reference/createAnswerChecker.js';
import { sendOnce } from '../sendOnce.js';
import { spawnBenchSubgraphs } from '../subgraphs/spawnBenchSubgraphs.js';
import { readCpuSeconds } from './readCpuSeconds.js';
import { summarizeComparison, type Comparison, type Slice } from './summarizeComparison.js';

export interface CompareOptions {
  /**
   * What the candidate is measured against: another checkout of Portico (a worktree of the commit
   * before, say), or another gateway of the bench (Grafbase), run as `npm run bench` runs it.
   */
  base: { root: string } | { gateway: BenchGateway };
  /** The checkout with the change. */
  candidateRoot: string;
  query: 'one-subgraph' | 'benchmark';
  /** Each side's in-flight de-duplication (they differ to set Portico off against another gateway's default, say). */
  dedup: { base: DedupMode; candidate: DedupMode };
  concurrency: number;
  warmupSeconds: number;
  slices: number;
  sliceSeconds: number;
  /**
   * Variables added to (or replacing) each build's gateway environment (`NODE_OPTIONS` for V8's
   * young generation, glibc's `MALLOC_ARENA_MAX`), so that one build can be compared with itself
   * under other launch settings: `--base` and `--candidate` the same checkout.
   */
  env?: { base?: Record<string, string> | undefined; candidate?: Record<string, string> | undefined };
  /** The Node.js binary for each build's gateway (by default the one running the comparison), so that one build can be compared on two Node versions. */
  nodeBinaries?: { base?: string; candidate?: string };
  onSlice?: (index: number, base: Slice, candidate: Slice) => void;
}

/**
 * A comparison, with each gateway's peak resident set size (VmHWM, start-up included; null without
 * /proc) and the de-duplication each side ran with (null for a gateway that has none to switch).
 */
export type MeasuredComparison = Comparison & {
  peakRssBytes: { base: number | null; candidate: number | null };
  dedup: { base: DedupMode | null; candidate: DedupMode };
};

/**
 * Two builds of Portico side by side, or Portico and another gateway: both start on CPU 0 (the
 * load and the bench subgraphs on CPU 1), each is checked against the reference answer and
 * warmed up, then they take the same load in turns of one slice each, ABBA, so that the
 * machine's drift in speed falls on both alike. A gateway that answers wrong stops the comparison.
 */
export async function compareBuilds(options: CompareOptions): Promise<MeasuredComparison> {
  const roots = 'root' in options.base ? [options.base.root, options.candidateRoot] : [options.candidateRoot];
  for (const root of new Set(roots)) {
    if (!existsSync(join(root, 'bin/portico.js'))) throw new Error(`${root} is not a Portico checkout: it has no bin/portico.js`);
    if (!existsSync(join(root, 'node_modules')))
      throw new Error(`${root} has no node_modules: run npm ci there, or link this checkout's (ln -s "$PWD/node_modules" ${root}/)`);
    // A checkout with a build step runs its compiled code: build it as it is now (older ones run TypeScript).
    if (existsSync(join(root, 'scripts/buildDist.js'))) execFileSync(process.execPath, ['scripts/buildDist.js'], { cwd: root, stdio: 'inherit' });
  }
  const pinned = pinToCpu(1);
  const subgraphs = await spawnBenchSubgraphs();
  const gateways: GatewayProcess[] = [];
  try {
    const supergraphFile = join(mkdtempSync(join(tmpdir(), 'portico-compare-')), 'supergraph.graphql');
    writeFileSync(supergraphFile, composeBenchSupergraph(subgraphs.urls));
    const query = options.query === 'benchmark' ? benchQuery : oneSubgraphQuery;
    const body = JSON.stringify({ query });
    const reference =
      options.query === 'benchmark' ? await computeReference(benchQuery) : ((await sendOnce(subgraphs.urls.products, body)).answer as { data?: unknown }).data;

    const candidateSide: Side = {
      name: `the build at ${options.candidateRoot}`,
      command: porticoCommand(options.candidateRoot),
      dedup: options.dedup.candidate,
    };
    const baseSide = sideOf(options.base, options.dedup.base);
    for (const [{ name, command: gatewayCommand, dedup }, env, nodeBinary] of [
      [baseSide, options.env?.base, options.nodeBinaries?.base],
      [candidateSide, options.env?.candidate, options.nodeBinaries?.candidate],
    ] as const) {
      const port = await findFreePort();
      const command = gatewayCommand({ supergraphFile, subgraphUrls: subgraphs.urls, port, dedup });
      if (env !== undefined) command.env = { ...command.env, ...env };
      if (nodeBinary !== undefined) {
        if (command.executable !== undefined) throw new Error(`${name} is not run by Node.js: --base-node does not apply to it`);
        command.executable = nodeBinary;
      }
      const gateway = await startGatewayProcess(command, {
        port,
        cpu: pinned ? 0 : null,
      });
      gateways.push(gateway);
      const { status, answer } = await sendOnce(gateway.url, body);
      const verdict = status === 200 ? checkAnswer(reference, answer) : { ok: false as const, problem: `HTTP ${status}` };
      if (!verdict.ok) throw new Error(`${name} answers wrong: ${verdict.problem}`);
    }

    const check = createAnswerChecker(reference);
    const slice = async (gateway: GatewayProcess, seconds: number): Promise<Slice> => {
      const cpuBefore = readCpuSeconds(gateway.pid);
      const startedAt = performance.now();
      const load = await runClosedLoop({ url: gateway.url, body, concurrency: options.concurrency, warmupMs: 0, durationMs: seconds * 1000, check });
      const failed = Object.values(load.errors).reduce((sum, count) => sum + count, 0);
      if (failed > 0) throw new Error(`${failed} wrong or failed answers from ${gateway.url}: ${JSON.stringify(load.errors)}`);
      return {
        seconds: (performance.now() - startedAt) / 1000,
        requests: load.totalRequests,
        cpuSeconds: readCpuSeconds(gateway.pid) - cpuBefore,
        latenciesMs: load.latenciesMs,
      };
    };

    const [base, candidate] = gateways as [GatewayProcess, GatewayProcess];
    for (const gateway of gateways) await slice(gateway, options.warmupSeconds);
    const baseSlices: Slice[] = [];
    const candidateSlices: Slice[] = [];
    for (let index = 0; index < options.slices; index += 1) {
      // ABBA: neither build always runs first after the other.
      if (index % 2 === 0) {
        baseSlices.push(await slice(base, options.sliceSeconds));
        candidateSlices.push(await slice(candidate, options.sliceSeconds));
      } else {
        candidateSlices.push(await slice(candidate, options.sliceSeconds));
        baseSlices.push(await slice(base, options.sliceSeconds));
      }
      options.onSlice?.(index, baseSlices[index]!, candidateSlices[index]!);
    }
    return {
      ...summarizeComparison(baseSlices, candidateSlices),
      peakRssBytes: { base: base.peakRssBytes(), candidate: candidate.peakRssBytes() },
      dedup: { base: baseSide.dedup, candidate: options.dedup.candidate },
    };
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await subgraphs.close();
  }
}

/** One gateway of the comparison: how errors name it, how it starts, its de-duplication. */
interface Side {
  name: string;
  command: BenchGateway['command'];
  /** Null for a gateway that has none to switch. */
  dedup: DedupMode | null;
}

/** The base as a side: a checkout's Portico, or another gateway of the bench (`--dedup` where it has one). */
function sideOf(base: CompareOptions['base'], dedup: DedupMode): Side {
  if ('root' in base) return { name: `the build at ${base.root}`, command: porticoCommand(base.root), dedup };
  return { name: base.gateway.name, command: base.gateway.command, dedup: base.gateway.dedupModes.length > 0 ? dedup : null };
}
