import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { AnswerChecker, AnswerOutcome } from '../reference/createAnswerChecker.js';

export interface ClosedLoopOptions {
  /** The GraphQL endpoint. */
  url: string;
  /** The POST body, sent as is with every request. */
  body: string;
  /** Requests in flight at all times (one connection each). */
  concurrency: number;
  /** Requests before this are not counted. */
  warmupMs: number;
  /**
   * Requests in flight during the warm-up (default `concurrency`): a one-at-a-time measurement
   * still warms the gateway up under load, so that it measures a JIT-compiled gateway, as one
   * in service is, rather than the first few thousand requests after its start.
   */
  warmupConcurrency?: number;
  /** How long the counted part lasts. */
  durationMs: number;
  check: AnswerChecker;
  /** Called about once a second. */
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadProgress {
  phase: 'warm-up' | 'measure';
  /** Since the start of the phase. */
  elapsedMs: number;
  /** Answers counted so far in this phase, per second. */
  requestsPerSecond: number;
}

export interface LoadResult {
  /** Answers completed within the measured window, right or not. */
  requests: number;
  /** Answers completed in the whole run, warm-up included (to divide subgraph counts by). */
  totalRequests: number;
  requestsPerSecond: number;
  /** Latency of each answer in the measured window, in milliseconds. */
  latenciesMs: Float64Array;
  /** Answers in the measured window that were not right, by kind. */
  errors: Record<Exclude<AnswerOutcome, 'ok'> | 'transport', number>;
}

/**
 * After a warm-up at another concurrency, how long the measured concurrency runs before its
 * requests count. The switch (a new connection pool, the warm-up's connections closing, the load
 * generator's own garbage from the warm-up) slowed every path for 1.5–2 s, the subgraph sent to
 * directly included: one request at a time, the first second answered at half the rate of the
 * tenth, and held most of the answers slower than the window's p99 that no collection explains.
 */
export const settleMs = 2000;

/**
 * A fixed-concurrency closed loop: `concurrency` workers, each sending the next request when its
 * previous answer has been read in full, over keep-alive connections. Warm-up, then a measured
 * window in which each completed answer is checked and its latency recorded.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
  const { warmupConcurrency = options.concurrency } = options;
  if (options.warmupMs > 0 && warmupConcurrency !== options.concurrency) {
    const warmup = await runClosedLoop({
      ...options,
      concurrency: warmupConcurrency,
      warmupMs: 0,
      durationMs: options.warmupMs,
      onProgress: (progress) => options.onProgress?.({ ...progress, phase: 'warm-up' }),
    });
    // The measured loop opens its own connections: its first seconds are not counted either (settleMs).
    const measured = await runClosedLoop({ ...options, warmupConcurrency: options.concurrency, warmupMs: settleMs });
    return { ...measured, totalRequests: warmup.totalRequests + measured.totalRequests };
  }
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.concurrency, pipelining: 1 });
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const latencies: number[] = [];
  const errors: LoadResult['errors'] = { 'http-error': 0, 'graphql-errors': 0, wrong: 0, transport: 0 };
  let totalRequests = 0;
  let phaseCount = 0;

  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  let phase: LoadProgress['phase'] = options.warmupMs > 0 ? 'warm-up' : 'measure';
  const progress = setInterval(() => {
    const now = performance.now();
    if (phase === 'warm-up' && now >= measureFrom) {
      phase = 'measure';
      phaseCount = 0;
    }
    const phaseStart = phase === 'warm-up' ? start : measureFrom;
    const elapsedMs = now - phaseStart;
    options.onProgress?.({ phase, elapsedMs, requestsPerSecond: elapsedMs > 0 ? (phaseCount * 1000) / elapsedMs : 0 });
  }, 1000);

  const worker = async () => {
    while (performance.now() < measureUntil) {
      const sentAt = performance.now();
      let outcome: AnswerOutcome | 'transport';
      try {
        const response = await pool.request({ path: target.pathname, method: 'POST', headers, body: options.body });
        const body = Buffer.from(await response.body.arrayBuffer());
        outcome = options.check(response.statusCode, body);
      } catch {
        outcome = 'transport';
      }
      const doneAt = performance.now();
      totalRequests += 1;
      phaseCount += 1;
      if (sentAt < measureFrom || doneAt > measureUntil) continue;
      latencies.push(doneAt - sentAt);
      if (outcome !== 'ok') errors[outcome] += 1;
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(progress);
    await pool.close();
  }
  const requests = latencies.length;
  return {
    requests,
    totalRequests,
    requestsPerSecond: (requests * 1000) / options.durationMs,
    latenciesMs: Float64Array.from(latencies),
    errors,
  };
}
