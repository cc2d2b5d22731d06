import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { failureReason } from './failureReason.js';
import { traceDir, traceNow, writeTrace } from './traceAnswers.js';

export interface LegitimateClientOptions {
  url: string;
  /** The POST body, sent as is with every request. */
  body: string;
  /** Requests in flight at all times from each address (one connection each). */
  concurrency: number;
  /** The clients' own loopback addresses: each runs `concurrency` connections of its own. */
  localAddresses: readonly string[];
  durationMs: number;
  /** Whether an answer is the right one. */
  isRight(status: number, body: Buffer): boolean;
  /** With BENCH_ATTACK_TRACE: the name of the file of `[sent, answered]` times this run writes (see traceAnswers). */
  traceName?: string;
}

/** Every request sent in the window, right or not, with its latency. */
export interface LegitimateClientRun {
  requests: number;
  /** Requests answered 200 with the right answer. */
  succeeded: number;
  /**
   * Requests that were not, by reason: `HTTP 503 OVERLOADED` (status and first error code),
   * `HTTP 200 SUBGRAPH_UNAVAILABLE`, `wrong answer`, `timed out`, `no connection`.
   */
  failures: Record<string, number>;
  /** Latency of every request, failed ones included (a timed-out one counts its timeout), ms. */
  latenciesMs: number[];
}

/** A request not answered within this failed; its latency is this. */
export const legitimateTimeoutMs = 5000;
/** After a refused connection (a dead gateway), wait this long rather than spin. */
const retryDelayMs = 20;

/**
 * Legitimate clients' closed loops: `concurrency` keep-alive connections from each of
 * `localAddresses`, each sending the next request once it has read the previous answer, for
 * `durationMs`; their requests are counted together. Unlike the throughput bench's loop it counts
 * every request sent in the window, also those answered after it (up to the timeout): a request
 * an attack holds up is the point here.
 */
export async function runLegitimateClient(options: LegitimateClientOptions): Promise<LegitimateClientRun> {
  const target = new URL(options.url);
  const pools = options.localAddresses.map(
    (localAddress) =>
      new Pool(target.origin, {
        connections: options.concurrency,
        pipelining: 1,
        // Top level: undici ignores `connect.localAddress`, and every request would come from 127.0.0.1.
        localAddress,
        headersTimeout: legitimateTimeoutMs,
        bodyTimeout: legitimateTimeoutMs,
      }),
  );
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const run: LegitimateClientRun = { requests: 0, succeeded: 0, failures: {}, latenciesMs: [] };
  const fail = (reason: string) => (run.failures[reason] = (run.failures[reason] ?? 0) + 1);
  const until = performance.now() + options.durationMs;
  const intervals: [number, number][] = [];

  const worker = async (pool: Pool) => {
    while (performance.now() < until) {
      const sentAt = performance.now();
      const tracedAt = traceNow();
      run.requests += 1;
      try {
        const response = await pool.request({ path: target.pathname, method: 'POST', headers, body: options.body });
        const body = Buffer.from(await response.body.arrayBuffer());
        if (options.isRight(response.statusCode, body)) run.succeeded += 1;
        else fail(failureReason(response.statusCode, body));
        run.latenciesMs.push(performance.now() - sentAt);
        if (traceDir) intervals.push([tracedAt, traceNow()]);
      } catch (error) {
        const timedOut = /timeout/i.test((error as Error).name + (error as Error).message);
        fail(timedOut ? 'timed out' : 'no connection');
        run.latenciesMs.push(timedOut ? legitimateTimeoutMs : performance.now() - sentAt);
        if (!timedOut) await sleep(retryDelayMs);
      }
    }
  };
  try {
    await Promise.all(pools.flatMap((pool) => Array.from({ length: options.concurrency }, () => worker(pool))));
  } finally {
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
  if (options.traceName) writeTrace(`client-${options.traceName}-${Date.now()}`, intervals);
  return run;
}
