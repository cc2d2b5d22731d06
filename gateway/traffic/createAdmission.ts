import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import type { AdmissionConfig } from '../config/GatewayConfig.js';
import { adjustConcurrencyLimit, type ConcurrencyBounds } from './adjustConcurrencyLimit.js';

export interface AdmissionState {
  /** Operations allowed to execute at once now (it moves under `auto`). */
  limit: number;
  inFlight: number;
  queued: number;
}

export interface Admission {
  /**
   * Waits for a slot and resolves with its release, which must be called once the response is
   * written. Rejects with 503 `OVERLOADED` when the queue is full or the wait outlasts
   * `queueTimeoutMs`, and with the signal's reason when the client goes away first.
   */
  acquire(signal: AbortSignal): Promise<() => void>;
  state(): AdmissionState;
  /** Stops measuring the event loop (under `auto`). */
  close(): void;
}

// Under `auto`: where the limit starts and the range it moves in. The floor keeps a few
// operations going however busy the process is; the ceiling is there to bound memory.
// The target delay: a couple of milliseconds is a handful of operations' callbacks waiting their
// turn. Higher targets admit more operations than it takes to keep the CPU busy, and each one's
// garbage is then alive at more young-generation collections (docs/performance.md, step 23).
export const AUTO_LIMIT: ConcurrencyBounds & { initial: number } = { initial: 16, min: 4, max: 1024, targetDelayMs: 2 };
const WINDOW_MS = 200;
// How often the event loop's delay is sampled; a sample counts this interval in, taken off below.
const RESOLUTION_MS = 10;

interface Waiter {
  admit(): void;
}

/**
 * Admission control for GraphQL requests: at most `limit` operations execute at once, the rest
 * wait first come, first served, in a bounded queue. Past the point where the CPU is busy,
 * more operations at once only stretch every one of them (and the garbage each keeps alive);
 * queued requests cost nothing until they start. With `maxConcurrent: 'auto'` the limit follows
 * the event loop's delay (see `adjustConcurrencyLimit`), measured every 200 ms.
 */
export function createAdmission(config: AdmissionConfig): Admission {
  const auto = config.maxConcurrent === 'auto';
  let limit = auto ? AUTO_LIMIT.initial : (config.maxConcurrent as number);
  let inFlight = 0;
  // Waiting requests in arrival order (a Set iterates in insertion order); each leaves it once
  // admitted, refused or abandoned, so nothing of a finished wait is kept.
  const waiters = new Set<Waiter>();
  let queuedInWindow = false;

  const drain = () => {
    while (inFlight < limit && waiters.size > 0) {
      const [first] = waiters;
      first!.admit();
    }
  };

  const release = () => {
    inFlight -= 1;
    drain();
  };

  let histogram: IntervalHistogram | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (auto) {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    timer = setInterval(() => {
      const delayMs = Math.max(0, histogram!.percentile(50) / 1e6 - RESOLUTION_MS);
      histogram!.reset();
      limit = adjustConcurrencyLimit(limit, { delayMs, queued: queuedInWindow || waiters.size > 0 }, AUTO_LIMIT);
      queuedInWindow = false;
      drain();
    }, WINDOW_MS);
    timer.unref();
  }

  return {
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (inFlight < limit && waiters.size === 0) {
        inFlight += 1;
        return Promise.resolve(once(release));
      }
      if (waiters.size >= config.maxQueue) {
        return Promise.reject(
          overloaded(`The gateway is at capacity (${inFlight} operations running, ${waiters.size} waiting: server.admission.maxQueue); retry shortly`),
        );
      }
      queuedInWindow = true;
      return new Promise((resolve, reject) => {
        const settle = () => {
          waiters.delete(waiter);
          clearTimeout(timeout);
          signal.removeEventListener('abort', onAbort);
        };
        const waiter: Waiter = {
          admit: () => {
            settle();
            inFlight += 1;
            resolve(once(release));
          },
        };
        const timeout = setTimeout(() => {
          settle();
          reject(overloaded(`The request waited ${config.queueTimeoutMs} ms for the gateway to take it (server.admission.queueTimeoutMs); retry shortly`));
        }, config.queueTimeoutMs);
        const onAbort = () => {
          settle();
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiters.add(waiter);
      });
    },
    state: () => ({ limit, inFlight, queued: waiters.size }),
    close() {
      if (timer) clearInterval(timer);
      histogram?.disable();
    },
  };
}

function overloaded(message: string): HttpError {
  return new HttpError(ErrorCode.OVERLOADED, message, { 'retry-after': '1' });
}

/** A release that counts once, however often it is called. */
function once(release: () => void): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}
