import type { BenchResults, GatewayRun, OverheadResults } from './BenchResults.js';
import { formatSubscriptionResults } from '../subscriptions/formatSubscriptionResults.js';
import { formatAttackResults } from './formatAttackResults.js';

/** The results as markdown: what `bench/results/*.md` holds and what the bench prints at the end. */
export function formatResultsMarkdown(results: BenchResults): string {
  const { machine, settings } = results;
  const measuredOn = [
    `Measured ${machine.date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpuModel}, ${machine.cores} cores, ` +
      `${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}; commit ${machine.commit}; ` +
      `1-minute load average ${machine.loadAverageAtStart} at start, ${machine.loadAverageAtEnd} at the end.`,
    machine.pinned
      ? 'Each gateway pinned to CPU 0; the load generator and the subgraphs to CPU 1.'
      : 'Not pinned (fewer than two CPUs, or no taskset): gateway, load and subgraphs shared every CPU.',
  ];
  // A run with the load runs skipped (`--only attack`) has no table of them to show.
  const sections =
    results.runs.length === 0
      ? [measuredOn.join('\n')]
      : [
          [
            ...measuredOn,
            `Load: ${settings.concurrency} connections in a closed loop, ${settings.warmupSeconds} s warm-up, ` +
              `${settings.durationSeconds} s measured, the community benchmark query.`,
          ].join('\n'),
          formatRunsTable(results.runs),
          ['In-flight de-duplication:', ...results.gateways.map((gateway) => `- ${gateway.name}: ${gateway.dedup}.`)].join('\n'),
        ];
  if (results.overhead) sections.push(formatOverhead(results.overhead, settings.overheadDurationSeconds));
  if (results.backendCalls) sections.push(formatBackendCalls(results.backendCalls));
  if (results.attack) sections.push(formatAttackResults(results.attack));
  if (results.subscriptions) sections.push(formatSubscriptionResults(results.subscriptions).trimEnd());
  return sections.join('\n\n') + '\n';
}

/** The main table: one row per gateway and mode. */
export function formatRunsTable(runs: readonly GatewayRun[]): string {
  const header = [
    '| Gateway | In-flight de-dup | req/s | × Apollo Gateway | p50 ms | p95 ms | p99 ms | Errors | Peak RSS MiB | Subgraph requests per query (alone / under load) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const rows = runs.map((run) => {
    const dedup = run.dedup === 'none' ? 'none (has none)' : run.dedup;
    if (run.outcome !== 'ok') {
      const what = run.outcome === 'wrong' ? 'WRONG ANSWER, not ranked' : 'FAILED';
      return `| ${run.name} | ${dedup} | ${what}: ${oneLine(run.problem ?? '')} ||||||||`;
    }
    return [
      run.name,
      dedup,
      number(run.requestsPerSecond, 0),
      run.vsApolloGateway === undefined ? '–' : `${number(run.vsApolloGateway, 2)}×`,
      number(run.latencyMs?.p50, 1),
      number(run.latencyMs?.p95, 1),
      number(run.latencyMs?.p99, 1),
      number(run.errors?.total, 0),
      run.peakRssMiB == null ? '–' : number(run.peakRssMiB, 0),
      `${number(run.subgraphRequestsAlone, 0)} / ${number(run.subgraphRequestsPerOperation, 2)}`,
    ].reduce((line, cell) => `${line} ${cell} |`, '|');
  });
  return [...header, ...rows].join('\n');
}

function formatOverhead(overhead: OverheadResults, seconds: number): string {
  const rows = [
    '| Path | p50 ms | p99 ms | Added p50 ms | Added p99 ms |',
    '|---|---:|---:|---:|---:|',
    `| products subgraph, directly | ${number(overhead.direct.p50, 2)} | ${number(overhead.direct.p99, 2)} | – | – |`,
    'latencyMs' in overhead.floor
      ? `| through a bare Node.js proxy (the floor) | ${number(overhead.floor.latencyMs.p50, 2)} | ${number(overhead.floor.latencyMs.p99, 2)} | ${number(overhead.floor.addedMs.p50, 2)} | ${number(overhead.floor.addedMs.p99, 2)} |`
      : `| a bare Node.js proxy (the floor) | FAILED: ${oneLine(overhead.floor.problem)} ||||`,
    ...overhead.gateways.map((row) =>
      row.outcome !== 'ok'
        ? `| ${row.name} | ${row.outcome === 'wrong' ? 'WRONG ANSWER' : 'FAILED'}: ${oneLine(row.problem ?? '')} ||||`
        : `| through ${row.name} | ${number(row.latencyMs?.p50, 2)} | ${number(row.latencyMs?.p99, 2)} | ${number(row.addedMs?.p50, 2)} | ${number(row.addedMs?.p99, 2)} |`,
    ),
  ];
  return [
    `Latency a gateway adds: \`${overhead.query}\`, one request at a time for ${seconds} s each.`,
    'The bare proxy (node:http in, undici out, JSON parsed and written again, no GraphQL work) is the floor: what any Node.js process in the middle adds on this machine.',
    '',
    ...rows,
  ].join('\n');
}

function formatBackendCalls({ query, results }: NonNullable<BenchResults['backendCalls']>): string {
  const rows = [
    '| `users(first:)` | Users / reviews / products in the answer | users service | reviews service | catalog (gRPC) | inventory (gRPC) | All backend calls |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...results.map((row) =>
      row.problem !== undefined || !row.items || !row.calls
        ? `| ${number(row.listSize, 0)} | refused: ${oneLine(row.problem ?? 'no answer')} |||||`
        : `| ${number(row.listSize, 0)} | ${row.items.users} / ${row.items.reviews} / ${row.items.products} | ${row.calls.users} | ${row.calls.reviews} | ${row.calls.catalog} | ${row.calls.inventory} | ${row.calls.total} |`,
    ),
  ];
  return [`Backend calls for one query on the demo stack: \`${query}\`.`, '', ...rows].join('\n');
}

function number(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A problem inside a table cell: one line, no pipes, not too long. */
function oneLine(text: string): string {
  const line = text.split('\n')[0]!.replaceAll('|', '\\|');
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
