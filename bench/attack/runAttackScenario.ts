import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { AttackPhaseResult, AttackResults, CpuPercent } from '../report/AttackResults.js';
import { createAnswerChecker } from '../reference/createAnswerChecker.js';
import type { AttackId, BenchAttack } from './BenchAttack.js';
import { benchAttacks } from './benchAttacks.js';
import { cpuSecondsOf } from './cpuSecondsOf.js';
import { runQueueSecondsOf } from './runQueueSecondsOf.js';
import { runLegitimateClient } from './runLegitimateClient.js';
import { scrapeMetrics } from './scrapeMetrics.js';
import { spawnAttacker } from './spawnAttacker.js';
import { spawnDemoServices, type RunningDemoServices } from './spawnDemoServices.js';
import { attackBodyTimeoutMs, startAttackTarget, type AttackRateLimit } from './startAttackTarget.js';
import { attackTarget, judgeAttackPhase, summarizeLegitimateRun } from './summarizeAttackPhase.js';

/** The legitimate client's query: the demo shop's storefront, across all four subgraphs. */
export const legitimateQuery = 'query Storefront { topProducts(first: 5) { upc name price inStock shippingEstimate reviews { body author { name } } } }';

/**
 * Legitimate traffic: four clients, each its own address with one connection. A gateway serves
 * many clients and an attacker is one address among them, so the limits (per address and per
 * client) are sized from what one of them uses, not from all legitimate traffic together.
 */
const legitimateAddresses = ['127.0.0.1', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
const legitimateConcurrency = 1;
const attackerAddress = '127.0.0.2';
/** The attack runs this long before the legitimate client's window opens (connections opened, process warm). */
const attackRampMs = 1000;
/** Loading an attacker process takes a second or two; far longer means it is stuck. */
const attackerStartTimeoutMs = 60_000;
/** The per-client rate limit is never below this many operations a second. */
const minOperationsPerSecond = 50;
/** The legitimate query's cost when the gateway does not tell it: the default `demandControl.maxCost`. */
const unknownCost = 5000;
/** Limits the quiet run cannot reach: it measures the client alone and sizes the real ones. */
const unlimited: AttackRateLimit = { requestsPerAddressPerSecond: 1_000_000_000, operationsPerSecond: 1_000_000_000, costPerSecond: 1_000_000_000_000 };
/**
 * An address may send this many times the requests one client may run operations: several clients
 * share an address behind a NAT, and it counts requests refused before they are operations too.
 */
const addressAllowanceOverClient = 2;

export interface AttackScenarioOptions {
  attacks: readonly AttackId[];
  warmupSeconds: number;
  durationSeconds: number;
  /** Pin each gateway to this CPU; null: unpinned. */
  gatewayCpu: number | null;
  log(line: string): void;
}

/**
 * The "under attack" scenario: the demo stack behind a production gateway configured as issue
 * 15's operator would, a legitimate client measured alone (quiet), then while one other loopback
 * address runs each attack at full speed. Every phase gets a fresh gateway process, so that one
 * attack's damage (a crash, a polluted prototype, an open breaker) is reported for that attack
 * and not carried into the next.
 */
export async function runAttackScenario(options: AttackScenarioOptions): Promise<AttackResults> {
  const services = await spawnDemoServices();
  try {
    // Every attack phase meets demo services that earlier phases have warmed (compiled, their
    // pools and caches filled); the quiet one, which sizes the limits and sets the p99 that each
    // attack is judged against, must too: one quiet phase first, whose numbers are dropped (on a
    // slow machine its p50 was twice the later phases').
    options.log('under attack: warming the demo services (a quiet phase, not counted)');
    await runPhase(services, null, unlimited, options, null);
    const quietRun = await runPhase(services, null, unlimited, options, null);
    const quiet = judgeAttackPhase(quietRun.phase, null);
    options.log(describe(quiet));
    // An operator allows the heaviest legitimate client about twice what it uses (and some
    // room on a slow machine, where a fixed one-second window meets the client's bursts).
    const perClient = quietRun.requestsPerSecond / legitimateAddresses.length;
    const operationsPerSecond = Math.max(minOperationsPerSecond, Math.ceil(2 * perClient));
    // A gateway that did not say the query's cost gets a budget no operation of the client can exceed.
    const cost = quietRun.cost > 0 ? quietRun.cost : unknownCost;
    const rateLimit: AttackRateLimit = fixedRateLimit() ?? {
      requestsPerAddressPerSecond: addressAllowanceOverClient * operationsPerSecond,
      operationsPerSecond,
      costPerSecond: operationsPerSecond * cost,
    };
    const quietP99 = quiet.outcome === 'ok' ? (quiet.legitimate?.latencyMs.p99 ?? null) : null;
    const attacks: AttackPhaseResult[] = [];
    for (const attack of benchAttacks.filter((candidate) => options.attacks.includes(candidate.id))) {
      const { phase } = await runPhase(services, attack, rateLimit, options, quietRun.reference);
      const judged = judgeAttackPhase(phase, quietP99);
      options.log(describe(judged));
      attacks.push(judged);
    }
    return {
      settings: {
        legitimateQuery,
        legitimateAddresses,
        legitimateConcurrency,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        rateLimit,
        bodyTimeoutMs: attackBodyTimeoutMs,
        ...attackTarget,
      },
      quiet,
      attacks,
    };
  } finally {
    await services.close();
  }
}

/**
 * `BENCH_ATTACK_RATE_LIMIT`, a JSON `AttackRateLimit`, instead of the limits sized from the quiet
 * run: runs compared on a busy machine, whose quiet runs differ, then meet the same limits (such
 * as a quiet machine's: `{"requestsPerAddressPerSecond":778,"operationsPerSecond":389,"costPerSecond":50570}`).
 */
function fixedRateLimit(): AttackRateLimit | null {
  const text = process.env.BENCH_ATTACK_RATE_LIMIT;
  return text ? (JSON.parse(text) as AttackRateLimit) : null;
}

type Phase = Omit<AttackPhaseResult, 'p99VsQuiet' | 'targetMet'>;

interface PhaseRun {
  phase: Phase;
  /** The right answer's `data`, taken from the quiet gateway; null when it did not answer right. */
  reference: unknown;
  requestsPerSecond: number;
  /** The legitimate query's estimated cost (`extensions.cost`); 0 when the gateway did not say. */
  cost: number;
}

/** One phase on a fresh gateway: warm-up, then the measured window, with `attack` running (null: quiet). */
async function runPhase(
  services: RunningDemoServices,
  attack: BenchAttack | null,
  rateLimit: AttackRateLimit,
  options: AttackScenarioOptions,
  knownReference: unknown,
): Promise<PhaseRun> {
  const base = { id: attack?.id ?? ('quiet' as const), name: attack?.name ?? 'Quiet (no attack)', what: attack?.what ?? '', attacker: null };
  const failed = (problem: string): PhaseRun => ({
    phase: { ...base, outcome: 'failed', problem, rssMiB: { before: null, after: null }, slowestMetricsScrapeMs: null },
    reference: knownReference,
    requestsPerSecond: 0,
    cost: 0,
  });
  let gateway: Awaited<ReturnType<typeof startAttackTarget>> | undefined;
  try {
    gateway = await startAttackTarget(services.urls, rateLimit, options.gatewayCpu);
  } catch (error) {
    return failed(`the gateway did not start: ${(error as Error).message}`);
  }
  try {
    const metricsProblem = await checkMetricsListener(gateway.url, gateway.metricsUrl);
    if (metricsProblem) return failed(metricsProblem);
    const probe = await askOnce(gateway.url);
    const reference = knownReference ?? probe.data;
    if (reference === null) return failed(`the legitimate query was not answered right: ${probe.problem}`);
    const check = createAnswerChecker(reference);
    const client = {
      url: gateway.url,
      body: JSON.stringify({ query: legitimateQuery }),
      concurrency: legitimateConcurrency,
      localAddresses: legitimateAddresses,
      isRight: (status: number, body: Buffer) => check(status, body) === 'ok',
    };
    await runLegitimateClient({ ...client, durationMs: options.warmupSeconds * 1000 });
    const before = mib(gateway.rssBytes());
    const scraper = scrapeMetrics(gateway.metricsUrl);
    const attacker = attack && spawnAttacker(attack.id, gateway.url, attackerAddress, options.durationSeconds * 1000 + attackRampMs + 30_000);
    if (attacker) {
      const timer = new AbortController();
      const started = await Promise.race([
        attacker.attacking.then(() => true),
        sleep(attackerStartTimeoutMs, false, { signal: timer.signal }).catch(() => false),
      ])
        .catch(() => false)
        .finally(() => timer.abort());
      if (!started) {
        await attacker.stop();
        await scraper.stop();
        throw new Error(`the attacker exited or did not start within ${attackerStartTimeoutMs / 1000} s`);
      }
      await sleep(attackRampMs);
    }
    const cpu = measureCpu({ gateway: gateway.pid, attacker: attacker?.pid, services: services.pid });
    const run = await runLegitimateClient({ ...client, durationMs: options.durationSeconds * 1000, traceName: base.id });
    const cpuPercent = cpu.stop();
    const tally = attacker ? await attacker.stop() : null;
    const slowestMetricsScrapeMs = await scraper.stop();
    const died = gateway.exited();
    return {
      phase: {
        ...base,
        outcome: died ? 'gateway-died' : 'ok',
        ...(died ? { problem: fatalLine(gateway.output()) } : {}),
        legitimate: summarizeLegitimateRun(run),
        attacker: tally,
        rssMiB: { before, after: died ? null : mib(gateway.rssBytes()) },
        slowestMetricsScrapeMs,
        cpuPercent,
      },
      reference,
      requestsPerSecond: run.requests / options.durationSeconds,
      cost: probe.cost,
    };
  } catch (error) {
    return failed((error as Error).message);
  } finally {
    await gateway.stop();
  }
}

/**
 * Starts counting the CPU time each process uses (this one is the legitimate client and the
 * scraper), and the time the gateway's and the client's main threads wait for a CPU; `stop` gives
 * each as a percentage of the time since (of one core), null where unknown.
 */
function measureCpu(pids: Record<'gateway' | 'attacker' | 'services', number | undefined>): { stop(): CpuPercent } {
  const startedAt = performance.now();
  const ownBefore = process.cpuUsage();
  const before = { gateway: cpuSecondsOf(pids.gateway), attacker: cpuSecondsOf(pids.attacker), services: cpuSecondsOf(pids.services) };
  const waitingBefore = { gateway: runQueueSecondsOf(pids.gateway), client: runQueueSecondsOf(process.pid) };
  return {
    stop() {
      const seconds = (performance.now() - startedAt) / 1000;
      const own = process.cpuUsage(ownBefore);
      const percent = (from: number | null, to: number | null) => (from === null || to === null ? null : Math.round((100 * (to - from)) / seconds));
      return {
        gateway: percent(before.gateway, cpuSecondsOf(pids.gateway)),
        attacker: percent(before.attacker, cpuSecondsOf(pids.attacker)),
        client: Math.round((own.user + own.system) / 1e4 / seconds),
        services: percent(before.services, cpuSecondsOf(pids.services)),
        gatewayWaiting: percent(waitingBefore.gateway, runQueueSecondsOf(pids.gateway)),
        clientWaiting: percent(waitingBefore.client, runQueueSecondsOf(process.pid)),
      };
    },
  };
}

/** Sends the legitimate query once, asking for its estimated cost. */
async function askOnce(url: string): Promise<{ data: unknown; cost: number; problem?: string }> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-portico-cost': 'true' },
    body: JSON.stringify({ query: legitimateQuery }),
  });
  const text = await response.body.text();
  const body = JSON.parse(text) as { data?: unknown; errors?: unknown[]; extensions?: { cost?: { estimated?: number } } };
  const cost = body.extensions?.cost?.estimated ?? 0;
  if (response.statusCode !== 200 || body.errors || !body.data) return { data: null, cost, problem: `HTTP ${response.statusCode}: ${text.slice(0, 200)}` };
  return { data: body.data, cost };
}

/**
 * That `/metrics` is where production puts it: 200 on the internal listener, 404 on the public
 * port. Otherwise the scrapes would measure nothing, silently.
 */
async function checkMetricsListener(graphqlUrl: string, metricsUrl: string): Promise<string | null> {
  const status = async (url: string) => {
    const response = await request(url);
    await response.body.dump();
    return response.statusCode;
  };
  const internal = await status(metricsUrl);
  if (internal !== 200) return `the internal metrics listener answered ${metricsUrl} with HTTP ${internal}`;
  const publicUrl = new URL('/metrics', graphqlUrl).href;
  const exposed = await status(publicUrl);
  if (exposed !== 404) return `the public port answered ${publicUrl} with HTTP ${exposed}, not 404`;
  return null;
}

function mib(bytes: number | null): number | null {
  return bytes === null ? null : Math.round(bytes / (1024 * 1024));
}

/** What a dead gateway printed last that names an error (Node ends with its version line). */
function fatalLine(output: string): string {
  const lines = output
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const line = lines.findLast((candidate) => /error|ERR_/i.test(candidate)) ?? lines.at(-1);
  return line === undefined ? 'the gateway exited' : `the gateway exited: ${line.slice(0, 300)}`;
}

function describe(phase: AttackPhaseResult): string {
  const head = `under attack: ${phase.name}`;
  if (phase.outcome === 'failed' || !phase.legitimate) return `${head}: FAILED: ${phase.problem ?? ''}`;
  const { successRate, latencyMs } = phase.legitimate;
  const vs = phase.p99VsQuiet === undefined ? '' : ` (${phase.p99VsQuiet.toFixed(1)}× quiet)`;
  const died = phase.outcome === 'gateway-died' ? ', GATEWAY DIED' : '';
  return `${head}: ${(successRate * 100).toFixed(1)} % right, p99 ${latencyMs.p99.toFixed(1)} ms${vs}${died}; target ${phase.targetMet ? 'met' : 'NOT met'}`;
}
