import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { AttackContext, AttackTally } from './BenchAttack.js';
import { traceDir, traceNow, writeTrace } from './traceAnswers.js';

/** One request of a flood: the POST body and any headers besides `content-type`. */
export interface FloodRequest {
  body: string;
  headers?: Record<string, string>;
}

export interface FloodOptions {
  /** Requests in flight at all times, one connection each. */
  concurrency: number;
  /** Stop after this many requests even if the measurement goes on. @default 200000 */
  maxRequests?: number;
  /** Builds the `n`th request (from 0). */
  next(n: number): FloodRequest;
}

/** A request the gateway does not answer within this is a transport error. */
const requestTimeoutMs = 10_000;
/** Answers are read in full up to this (the expensive queries answer ~230 KB), so connections stay open. */
const maxAnswerBytes = 4 * 1024 * 1024;
/** After a refused or reset connection (a dead gateway), wait this long: an attacker does not spin. */
const retryDelayMs = 20;

/**
 * A closed-loop flood of POSTs from the attacker's address at full speed: `concurrency` keep-alive
 * connections, each sending its next request as soon as the previous answer has been read, until
 * the context's signal is aborted or `maxRequests` have been sent.
 */
export async function floodRequests(context: AttackContext, options: FloodOptions): Promise<AttackTally> {
  const target = new URL(context.url);
  const pool = new Pool(target.origin, {
    connections: options.concurrency,
    pipelining: 1,
    // Top level: undici ignores `connect.localAddress`, and every request would come from 127.0.0.1.
    localAddress: context.localAddress,
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
  });
  const maxRequests = options.maxRequests ?? 200_000;
  const tally: AttackTally = { requests: 0, byStatus: {}, transportErrors: 0 };
  const answeredAt: number[] = [];
  const worker = async () => {
    while (!context.signal.aborted && tally.requests < maxRequests) {
      const { body, headers } = options.next(tally.requests);
      tally.requests += 1;
      try {
        const response = await pool.request({
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        await response.body.dump({ limit: maxAnswerBytes });
        tally.byStatus[response.statusCode] = (tally.byStatus[response.statusCode] ?? 0) + 1;
        // Held 429s cost the gateway a timer, not work: not traced.
        if (traceDir && response.statusCode !== 429) answeredAt.push(traceNow());
      } catch {
        tally.transportErrors += 1;
        await sleep(retryDelayMs);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await pool.destroy();
  }
  writeTrace(`attacker-${process.pid}-${Date.now()}`, answeredAt);
  return tally;
}
