import { describe, expect, it } from 'vitest';
import { attackIds } from '../../bench/attack/attackIds.js';
import { benchAttacks } from '../../bench/attack/benchAttacks.js';
import { judgeAttackPhase, summarizeLegitimateRun } from '../../bench/attack/summarizeAttackPhase.js';
import type { AttackPhaseResult } from '../../bench/report/AttackResults.js';

type Phase = Parameters<typeof judgeAttackPhase>[0];

const phase = (successRate: number, p99: number, outcome: AttackPhaseResult['outcome'] = 'ok'): Phase => ({
  id: 'slow-bodies',
  name: 'Slow bodies',
  what: '500 connections',
  outcome,
  legitimate: { requests: 1000, successRate, latencyMs: { p50: p99 / 2, p99 }, failures: {} },
  attacker: { requests: 500, byStatus: {}, transportErrors: 0 },
  rssMiB: { before: 100, after: 110 },
  slowestMetricsScrapeMs: 5,
});

describe('summarizeLegitimateRun', () => {
  it('counts failed requests in the latencies and against the success rate', () => {
    const latenciesMs = Array.from({ length: 100 }, (_, i) => i + 1);
    const summary = summarizeLegitimateRun({ requests: 100, succeeded: 97, failures: { 'HTTP 503': 3 }, latenciesMs });
    expect(summary).toEqual({ requests: 100, successRate: 0.97, latencyMs: { p50: 50, p99: 99 }, failures: { 'HTTP 503': 3 } });
  });

  it('has a success rate of 0 and no percentiles when nothing was sent', () => {
    const summary = summarizeLegitimateRun({ requests: 0, succeeded: 0, failures: {}, latenciesMs: [] });
    expect(summary.successRate).toBe(0);
    expect(summary.latencyMs.p99).toBeNaN();
  });
});

describe('judgeAttackPhase', () => {
  it('meets the target at 99 % right answers and a p99 of twice the quiet one, not past either', () => {
    expect(judgeAttackPhase(phase(0.99, 20), 10)).toMatchObject({ targetMet: true, p99VsQuiet: 2 });
    expect(judgeAttackPhase(phase(0.989, 10), 10).targetMet).toBe(false);
    expect(judgeAttackPhase(phase(1, 20.1), 10).targetMet).toBe(false);
  });

  it('never meets it when the gateway died, whatever the numbers', () => {
    expect(judgeAttackPhase(phase(1, 1, 'gateway-died'), 10).targetMet).toBe(false);
  });

  it('never meets it without a quiet p99 to compare with, or when no request was sent', () => {
    const judged = judgeAttackPhase(phase(1, 10), null);
    expect(judged.targetMet).toBe(false);
    expect(judged).not.toHaveProperty('p99VsQuiet');
    expect(
      judgeAttackPhase({ ...phase(1, 10), legitimate: { requests: 0, successRate: 0, latencyMs: { p50: NaN, p99: NaN }, failures: {} } }, 10).targetMet,
    ).toBe(false);
  });

  it('judges the quiet run by its success rate alone', () => {
    expect(judgeAttackPhase({ ...phase(1, 10), id: 'quiet' }, null)).toMatchObject({ targetMet: true });
    expect(judgeAttackPhase({ ...phase(0.5, 10), id: 'quiet' }, null)).toMatchObject({ targetMet: false });
  });
});

describe('benchAttacks', () => {
  it('has one attack per id, in the order of attackIds (which the options and the report follow)', () => {
    expect(benchAttacks.map((attack) => attack.id)).toEqual([...attackIds]);
  });
});
