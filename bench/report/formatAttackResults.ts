import type { AttackTally } from '../attack/BenchAttack.js';
import type { AttackPhaseResult, AttackResults, CpuPercent } from './AttackResults.js';

/** The "under attack" section of the markdown results: how it was run, one row per phase, the verdict. */
export function formatAttackResults(attack: AttackResults): string {
  const { settings } = attack;
  const header = [
    '| Phase | Target | Right answers | p50 ms | p99 ms | × quiet p99 | Gateway RSS MiB (before → after) | Slowest `/metrics` scrape ms | CPU % gateway / attacker / client / services | % waiting for a CPU: gateway / client | Attacker requests: answers |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const phases = [attack.quiet, ...attack.attacks];
  const met = attack.attacks.filter((phase) => phase.targetMet).length;
  return [
    `Under attack: ${settings.legitimateAddresses.length} legitimate clients (each ${connections(settings.legitimateConcurrency)} in a closed loop, anonymous, ` +
      `from ${settings.legitimateAddresses.join(', ')}) send ` +
      `\`${settings.legitimateQuery}\` to a fresh production Portico process per phase (HS256 authentication, rate limits on the memory store ` +
      `at ${number(settings.rateLimit.requestsPerAddressPerSecond, 0)} requests per address and ` +
      `${number(settings.rateLimit.operationsPerSecond, 0)} operations and ${number(settings.rateLimit.costPerSecond, 0)} cost units per client a second, ` +
      `twice what one client used alone, paced; one known API key, bodies within ${number(settings.bodyTimeoutMs / 1000, 0)} s; ` +
      `\`/metrics\` on the internal listener, scraped once a second), ${settings.warmupSeconds} s warm-up then ` +
      `${settings.durationSeconds} s measured: alone (after one quiet phase that warms the demo services, not counted), then while 127.0.0.2 runs each attack at full speed. Target per attack: at least ` +
      `${number(settings.minSuccessRate * 100, 0)} % right answers and a p99 at most ${settings.maxP99VsQuiet}× the quiet one.`,
    '',
    ...header,
    ...phases.map(formatPhaseRow),
    '',
    `Target met for ${met} of ${attack.attacks.length} attacks.`,
    '',
    'Attacks:',
    ...attack.attacks.map((phase) => `- ${phase.name}: ${phase.what}.`),
  ].join('\n');
}

function connections(count: number): string {
  return count === 1 ? 'one connection' : `${count} connections`;
}

/** One table row; a phase that could not run, or whose gateway died, says so. */
export function formatPhaseRow(phase: AttackPhaseResult): string {
  if (phase.outcome === 'failed' || !phase.legitimate) return `| ${phase.name} | FAILED: ${oneLine(phase.problem ?? '')} ||||||||||`;
  const target =
    phase.outcome === 'gateway-died'
      ? `**not met: gateway died** (${oneLine(phase.problem ?? '')})`
      : phase.id === 'quiet'
        ? '–'
        : phase.targetMet
          ? 'met'
          : '**not met**';
  // The count too: on a slow machine a few seconds of a 4-connection loop is few requests.
  const { successRate, latencyMs, failures } = phase.legitimate;
  return [
    phase.name,
    target,
    `${number(successRate * 100, 1)} % of ${number(phase.legitimate.requests, 0)}${formatFailures(failures)}`,
    number(latencyMs.p50, 1),
    number(latencyMs.p99, 1),
    phase.id === 'quiet' ? '1.00×' : phase.p99VsQuiet === undefined ? '–' : `${number(phase.p99VsQuiet, 2)}×`,
    `${phase.rssMiB.before ?? '–'} → ${phase.rssMiB.after ?? '–'}`,
    phase.slowestMetricsScrapeMs === null ? '–' : number(phase.slowestMetricsScrapeMs, 0),
    formatCpu(phase.cpuPercent),
    formatWaiting(phase.cpuPercent),
    phase.id === 'quiet' ? '–' : formatTally(phase.attacker),
  ].reduce((line, cell) => `${line} ${cell} |`, '|');
}

/** CPU use as `97 / 60 / 25 / 14` (% of one core; `–` where unknown). */
function formatCpu(cpu: CpuPercent | undefined): string {
  if (!cpu) return '–';
  return [cpu.gateway, cpu.attacker, cpu.client, cpu.services].map((value) => (value === null ? '–' : number(value, 0))).join(' / ');
}

/** Run-queue waits as `40 / 12` (% of the window; `–` where unknown). */
function formatWaiting(cpu: CpuPercent | undefined): string {
  if (!cpu) return '–';
  return [cpu.gatewayWaiting, cpu.clientWaiting].map((value) => (value === undefined || value === null ? '–' : number(value, 0))).join(' / ');
}

/** The legitimate client's failures, most frequent first, as ` (12 HTTP 503, 3 timed out)`. */
function formatFailures(failures: Record<string, number>): string {
  const entries = Object.entries(failures).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? '' : ` (${entries.map(([reason, count]) => `${number(count, 0)} ${reason}`).join(', ')})`;
}

/** What the attacker got, as `2,000: 1,990 × 429, 10 × 200, 5 no answer`. */
function formatTally(tally: AttackTally | null): string {
  if (tally === null) return 'not reported';
  const answers = Object.entries(tally.byStatus)
    .sort(([, a], [, b]) => b - a)
    .map(([status, count]) => `${number(count, 0)} × ${status}`);
  if (tally.transportErrors > 0) answers.push(`${number(tally.transportErrors, 0)} no answer`);
  return `${number(tally.requests, 0)}: ${answers.join(', ') || 'no answers'}`;
}

function number(value: number, digits: number): string {
  if (Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A problem inside a table cell: one line, no pipes, not too long. */
function oneLine(text: string): string {
  const line = text.split('\n')[0]!.replaceAll('|', '\\|');
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
