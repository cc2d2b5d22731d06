import { describe, expect, it } from 'vitest';
import type { AttackPhaseResult, AttackResults } from '../../bench/report/AttackResults.js';
import { formatAttackResults, formatPhaseRow } from '../../bench/report/formatAttackResults.js';
import { formatResultsMarkdown } from '../../bench/report/formatResultsMarkdown.js';

const quiet: AttackPhaseResult = {
  id: 'quiet',
  name: 'Quiet (no attack)',
  what: '',
  outcome: 'ok',
  legitimate: { requests: 2000, successRate: 1, latencyMs: { p50: 8.04, p99: 20 }, failures: {} },
  attacker: null,
  rssMiB: { before: 150, after: 152 },
  slowestMetricsScrapeMs: 12.4,
  cpuPercent: { gateway: 97, attacker: null, client: 25, services: 14, gatewayWaiting: 40, clientWaiting: null },
  targetMet: true,
};

const slowBodies: AttackPhaseResult = {
  id: 'slow-bodies',
  name: 'Slow bodies',
  what: '500 connections sending full headers, then one body byte every 2 s',
  outcome: 'ok',
  legitimate: { requests: 1000, successRate: 0.25, latencyMs: { p50: 4000, p99: 5000 }, failures: { 'timed out': 600, 'HTTP 503': 150 } },
  attacker: { requests: 500, byStatus: { '503': 20, '408': 1200 }, transportErrors: 3 },
  rssMiB: { before: 150, after: 210 },
  slowestMetricsScrapeMs: null,
  p99VsQuiet: 250,
  targetMet: false,
};

const jwt: AttackPhaseResult = {
  id: 'jwt-header-injection',
  name: 'JWT header injection',
  what: 'tokens whose header alg holds CR/LF',
  outcome: 'gateway-died',
  problem: 'the gateway exited: TypeError [ERR_INVALID_CHAR]: Invalid character in header content ["WWW-Authenticate"]',
  legitimate: { requests: 300, successRate: 0, latencyMs: { p50: 1.2, p99: 3 }, failures: { 'no connection': 300 } },
  attacker: { requests: 2500, byStatus: {}, transportErrors: 2500 },
  rssMiB: { before: 150, after: null },
  slowestMetricsScrapeMs: 9,
  p99VsQuiet: 0.15,
  targetMet: false,
};

const refused: AttackPhaseResult = {
  ...quiet,
  id: 'refused-flood',
  name: 'Invalid tokens and invalid queries',
  what: 'wrong-secret tokens and invalid operations',
  legitimate: { requests: 1900, successRate: 0.995, latencyMs: { p50: 9, p99: 30 }, failures: { 'HTTP 429': 10 } },
  attacker: { requests: 40_000, byStatus: { '429': 39_000, '400': 600, '401': 400 }, transportErrors: 0 },
  p99VsQuiet: 1.5,
  targetMet: true,
};

describe('formatPhaseRow', () => {
  it('shows the quiet run as the baseline, with no target and no attacker', () => {
    expect(formatPhaseRow(quiet)).toBe('| Quiet (no attack) | – | 100.0 % of 2,000 | 8.0 | 20.0 | 1.00× | 150 → 152 | 12 | 97 / – / 25 / 14 | 40 / – | – |');
  });

  it('spells out a missed target, the failures most frequent first and what the attacker got', () => {
    expect(formatPhaseRow(slowBodies)).toBe(
      '| Slow bodies | **not met** | 25.0 % of 1,000 (600 timed out, 150 HTTP 503) | 4,000.0 | 5,000.0 | 250.00× | 150 → 210 | – | – | – | 500: 1,200 × 408, 20 × 503, 3 no answer |',
    );
    expect(formatPhaseRow(refused)).toContain('| met | 99.5 % of 1,900 (10 HTTP 429) |');
    expect(formatPhaseRow(refused)).toContain('| 40,000: 39,000 × 429, 600 × 400, 400 × 401 |');
  });

  it('says the gateway died, and why, in the target cell, with escaped pipes', () => {
    const row = formatPhaseRow({ ...jwt, problem: 'boom | bang\nstack' });
    expect(row).toContain('| **not met: gateway died** (boom \\| bang) |');
    expect(row).toContain('| 150 → – |');
    expect(row).toContain('| 2,500: 2,500 no answer |');
  });

  it('says a phase that could not run failed, and why', () => {
    const { legitimate: _, ...noLoad } = slowBodies;
    expect(formatPhaseRow({ ...noLoad, outcome: 'failed', problem: 'the gateway did not start: EADDRINUSE\nmore' })).toBe(
      '| Slow bodies | FAILED: the gateway did not start: EADDRINUSE ||||||||||',
    );
  });
});

describe('formatAttackResults', () => {
  const results: AttackResults = {
    settings: {
      legitimateQuery: 'query Storefront { topProducts { upc } }',
      legitimateAddresses: ['127.0.0.1', '127.0.0.3'],
      legitimateConcurrency: 1,
      warmupSeconds: 2,
      durationSeconds: 5,
      rateLimit: { requestsPerAddressPerSecond: 1600, operationsPerSecond: 800, costPerSecond: 96_000 },
      bodyTimeoutMs: 3000,
      minSuccessRate: 0.99,
      maxP99VsQuiet: 2,
    },
    quiet,
    attacks: [jwt, slowBodies, refused],
  };

  it('says how it ran, then the table, the verdict and what each attack sends', () => {
    const markdown = formatAttackResults(results);
    expect(markdown).toContain(
      '2 legitimate clients (each one connection in a closed loop, anonymous, from 127.0.0.1, 127.0.0.3) send `query Storefront { topProducts { upc } }`',
    );
    expect(markdown).toContain('at 1,600 requests per address and 800 operations and 96,000 cost units per client a second');
    expect(markdown).toContain('twice what one client used alone, paced; one known API key, bodies within 3 s');
    expect(markdown).toContain('2 s warm-up then 5 s measured');
    expect(markdown).toContain('Target per attack: at least 99 % right answers and a p99 at most 2× the quiet one.');
    expect(markdown).toContain('Target met for 1 of 3 attacks.');
    expect(markdown).toContain('- Slow bodies: 500 connections sending full headers, then one body byte every 2 s.');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Phase'));
    expect(rows.map((row) => row.split(' | ')[0])).toEqual([
      '| Quiet (no attack)',
      '| JWT header injection',
      '| Slow bodies',
      '| Invalid tokens and invalid queries',
    ]);
  });

  it('is the last section of the results when the scenario ran, and absent when it did not', () => {
    const bench = {
      machine: {
        date: '2026-01-02T03:04:05.000Z',
        cpuModel: 'CPU',
        cores: 2,
        node: 'v20',
        os: 'Linux',
        memoryGiB: 8,
        loadAverageAtStart: 0,
        loadAverageAtEnd: 0,
        commit: 'abc',
        pinned: true,
      },
      settings: { concurrency: 50, warmupSeconds: 2, durationSeconds: 5, overheadDurationSeconds: 3 },
      gateways: [],
      runs: [],
      overhead: null,
      backendCalls: null,
    };
    expect(
      formatResultsMarkdown({ ...bench, attack: results })
        .trimEnd()
        .endsWith(formatAttackResults(results)),
    ).toBe(true);
    expect(formatResultsMarkdown({ ...bench, attack: null })).not.toContain('Under attack');
  });
});
