import { describe, expect, it } from 'vitest';
import type { BenchResults, GatewayRun } from '../../bench/report/BenchResults.js';
import { formatResultsMarkdown, formatRunsTable } from '../../bench/report/formatResultsMarkdown.js';
import { rankAgainstApollo } from '../../bench/report/rankAgainstApollo.js';

const measured = (gateway: GatewayRun['gateway'], name: string, dedup: GatewayRun['dedup'], requestsPerSecond: number): GatewayRun => ({
  gateway,
  name,
  dedup,
  outcome: 'ok',
  requestsPerSecond,
  latencyMs: { p50: 12.34, p95: 20, p99: 31.25 },
  requests: requestsPerSecond * 30,
  errors: { total: 0, http: 0, graphql: 0, wrong: 0, transport: 0 },
  peakRssMiB: 180.4,
  subgraphRequestsAlone: 16,
  subgraphRequestsPerOperation: 2.5,
});

const runs: GatewayRun[] = [
  measured('portico', 'Portico', 'on', 1234.4),
  measured('apollo-gateway', 'Apollo Gateway', 'none', 400),
  { gateway: 'hive-gateway', name: 'Hive Gateway (JS planner)', dedup: 'off', outcome: 'wrong', problem: 'data.users[0].name: expected "Ada", got null' },
];

describe('rankAgainstApollo', () => {
  it('divides each right run by Apollo Gateway, and leaves wrong runs unranked', () => {
    const ranked = rankAgainstApollo(runs);
    expect(ranked.map((run) => run.vsApolloGateway)).toEqual([1234.4 / 400, 1, undefined]);
  });

  it('ranks nothing when Apollo Gateway did not run right', () => {
    const ranked = rankAgainstApollo([runs[0]!, { ...runs[1]!, outcome: 'failed', problem: 'did not start' }]);
    expect(ranked.every((run) => run.vsApolloGateway === undefined)).toBe(true);
  });
});

describe('formatRunsTable', () => {
  it('has one row per run, numbers grouped and rounded, a wrong answer spelled out and unranked', () => {
    expect(formatRunsTable(rankAgainstApollo(runs)).split('\n')).toEqual([
      '| Gateway | In-flight de-dup | req/s | × Apollo Gateway | p50 ms | p95 ms | p99 ms | Errors | Peak RSS MiB | Subgraph requests per query (alone / under load) |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      '| Portico | on | 1,234 | 3.09× | 12.3 | 20.0 | 31.3 | 0 | 180 | 16 / 2.50 |',
      '| Apollo Gateway | none (has none) | 400 | 1.00× | 12.3 | 20.0 | 31.3 | 0 | 180 | 16 / 2.50 |',
      '| Hive Gateway (JS planner) | off | WRONG ANSWER, not ranked: data.users[0].name: expected "Ada", got null ||||||||',
    ]);
  });
});

describe('formatResultsMarkdown', () => {
  const results: BenchResults = {
    machine: {
      date: '2026-01-02T03:04:05.000Z',
      cpuModel: 'Test CPU',
      cores: 2,
      node: 'v20.19.0',
      os: 'Linux 6.1 x64',
      memoryGiB: 8,
      loadAverageAtStart: 0.5,
      loadAverageAtEnd: 0.75,
      commit: 'abc1234',
      pinned: true,
    },
    settings: { concurrency: 50, warmupSeconds: 5, durationSeconds: 30, overheadDurationSeconds: 10 },
    runs: rankAgainstApollo(runs),
    overhead: {
      query: '{ topProducts { upc name price } }',
      direct: { p50: 0.2, p95: 0.3, p99: 0.5 },
      floor: { latencyMs: { p50: 0.5, p95: 0.7, p99: 1.1 }, addedMs: { p50: 0.3, p99: 0.6 } },
      gateways: [
        { gateway: 'portico', name: 'Portico', outcome: 'ok', latencyMs: { p50: 1.2, p95: 1.5, p99: 2.5 }, addedMs: { p50: 1, p99: 2 } },
        { gateway: 'hive-gateway', name: 'Hive Gateway (JS planner)', outcome: 'failed', problem: 'did not start: boom\nstack' },
      ],
    },
    gateways: [
      { name: 'Portico', dedup: 'upstream.dedupQueries' },
      { name: 'Apollo Gateway', dedup: 'none' },
    ],
    backendCalls: {
      query: 'query ($first: Int!) { users(first: $first) { name } }',
      results: [
        { listSize: 10, items: { users: 10, reviews: 98, products: 90 }, calls: { users: 1, reviews: 10, catalog: 1, inventory: 1, total: 13 } },
        { listSize: 1000, problem: 'first must be between 1 and 500' },
      ],
    },
  };

  it('says where and how it was measured, what de-duplication each gateway has, then the three tables', () => {
    const markdown = formatResultsMarkdown(results);
    expect(markdown).toContain('In-flight de-duplication:\n- Portico: upstream.dedupQueries.\n- Apollo Gateway: none.');
    expect(markdown).toContain(
      'Measured 2026-01-02 03:04 UTC on Test CPU, 2 cores, 8 GiB, Node v20.19.0, Linux 6.1 x64; commit abc1234; 1-minute load average 0.5 at start, 0.75 at the end.',
    );
    expect(markdown).toContain('Each gateway pinned to CPU 0; the load generator and the subgraphs to CPU 1.');
    expect(markdown).toContain('Load: 50 connections in a closed loop, 5 s warm-up, 30 s measured');
    expect(markdown).toContain('| through a bare Node.js proxy (the floor) | 0.50 | 1.10 | 0.30 | 0.60 |');
    expect(markdown).toContain('| through Portico | 1.20 | 2.50 | 1.00 | 2.00 |');
    expect(markdown).toContain('| Hive Gateway (JS planner) | FAILED: did not start: boom ||||');
    expect(markdown).toContain('on the demo stack: `query ($first: Int!) { users(first: $first) { name } }`.');
    expect(markdown).toContain('| 10 | 10 / 98 / 90 | 1 | 10 | 1 | 1 | 13 |');
    expect(markdown).toContain('| 1,000 | refused: first must be between 1 and 500 |||||');
  });

  it('says so when the bare proxy failed', () => {
    const overhead = { ...results.overhead!, floor: { problem: 'did not start: boom\nstack' } };
    expect(formatResultsMarkdown({ ...results, overhead })).toContain('| a bare Node.js proxy (the floor) | FAILED: did not start: boom ||||');
  });

  it('says so when the processes were not pinned', () => {
    expect(formatResultsMarkdown({ ...results, machine: { ...results.machine, pinned: false } })).toContain('Not pinned');
  });

  it('has no load table when the load runs were skipped', () => {
    const markdown = formatResultsMarkdown({ ...results, runs: [], overhead: null, backendCalls: null });
    expect(markdown).toContain('Measured 2026-01-02 03:04 UTC');
    expect(markdown).not.toContain('| Gateway |');
    expect(markdown).not.toContain('Load:');
    expect(markdown).not.toContain('In-flight de-duplication');
  });
});
