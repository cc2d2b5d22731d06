import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * `BENCH_ATTACK_TRACE=DIR`: the attacker writes when each of its answers but a 429 came, and the legitimate
 * client when each of its measured requests was sent and answered, to JSON files in DIR, for
 * `interleaving.ts`. Unset: nothing is recorded.
 */
export const traceDir = process.env.BENCH_ATTACK_TRACE || null;

/** Milliseconds since the epoch, sub-millisecond, comparable between processes on one machine. */
export const traceNow = (): number => performance.timeOrigin + performance.now();

/** Writes `DIR/<name>.json` (nothing without BENCH_ATTACK_TRACE). */
export function writeTrace(name: string, data: unknown): void {
  if (!traceDir) return;
  mkdirSync(traceDir, { recursive: true });
  writeFileSync(join(traceDir, `${name}.json`), JSON.stringify(data));
}
