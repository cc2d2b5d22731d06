import type { AttackPhaseResult, LegitimateSummary } from '../report/AttackResults.js';
import { percentile } from '../load/percentile.js';
import type { LegitimateClientRun } from './runLegitimateClient.js';

/** The target for every attack: at least 99 % right answers and a p99 within 2× the quiet one. */
export const attackTarget = { minSuccessRate: 0.99, maxP99VsQuiet: 2 } as const;

/** Success rate and latency percentiles of one legitimate client run. */
export function summarizeLegitimateRun(run: LegitimateClientRun): LegitimateSummary {
  const sorted = Float64Array.from(run.latenciesMs).sort();
  return {
    requests: run.requests,
    successRate: run.requests === 0 ? 0 : run.succeeded / run.requests,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
    failures: run.failures,
  };
}

/**
 * Judges one phase against the target: the gateway stayed up, the legitimate client's success
 * rate is at least `minSuccessRate` and its p99 at most `maxP99VsQuiet` times `quietP99`. A
 * missing quiet p99 (the quiet run failed) fails every attack: nothing to compare with.
 */
export function judgeAttackPhase(phase: Omit<AttackPhaseResult, 'p99VsQuiet' | 'targetMet'>, quietP99: number | null): AttackPhaseResult {
  const p99 = phase.legitimate?.latencyMs.p99;
  const p99VsQuiet = p99 !== undefined && quietP99 !== null && quietP99 > 0 && !Number.isNaN(p99) ? p99 / quietP99 : undefined;
  const targetMet =
    phase.outcome === 'ok' &&
    phase.legitimate !== undefined &&
    phase.legitimate.requests > 0 &&
    phase.legitimate.successRate >= attackTarget.minSuccessRate &&
    (phase.id === 'quiet' || (p99VsQuiet !== undefined && p99VsQuiet <= attackTarget.maxP99VsQuiet));
  return { ...phase, ...(p99VsQuiet === undefined || phase.id === 'quiet' ? {} : { p99VsQuiet }), targetMet };
}
