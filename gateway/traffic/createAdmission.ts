import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import type { AdmissionConfig } from '../config/GatewayConfig.js';
import { adjustConcurrencyLimit, type ConcurrencyBounds } from './adjustConcurrencyLimit.js';
import type { CancelSignal } from '../resilience/Cancellation.js';

export interface AdmissionState {
  /** Operations allowed to execute at once now (it moves under `auto`). */
  limit: number;
  inFlight: number;
  queued: number;
}

export interface Admission {
  /**
   * Waits for a slot and resolves with its release, which must be called once the response is
   * written. `client` (the request's address) is whose turn it waits for: queued requests are
   * admitted one client at a time, in turn. Rejects with 503 `OVERLOADED` when the queue is full
   * (or this request is the newest of the client queueing most, pushed out by another client's)
   * or the wait outlasts `queueTimeoutMs`, and with the signal's reason when the client goes away first.
   */
  acquire(signal: CancelSignal, client?: string): Promise<() => void>;
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
  /** Refuses it with 503: another client's request takes its place in a full queue. */
  evict(): void;
}

/**
 * Admission control for GraphQL requests: at most `limit` operations execute at once, the rest
 * wait in a bounded queue, fairly between clients: each client's requests in arrival order, the
 * clients in turn (round robin), so that one address sending many requests at once waits behind
 * its own and not in front of everyone else's; a full queue makes room for a client by refusing
 * the newest request of the client that queues most. Past the point where the CPU is busy,
 * more operations at once only stretch every one of them (and the garbage each keeps alive);
 * queued requests cost nothing until they start. With `maxConcurrent: 'auto'` the limit follows
 * the event loop's delay (see `adjustConcurrencyLimit`), measured every 200 ms.
 */
export function createAdmission(config: AdmissionConfig): Admission {
  const auto = config.maxConcurrent === 'auto';
  let limit = auto ? AUTO_LIMIT.initial : (config.maxConcurrent as number);
  let inFlight = 0;
  // Waiting requests by client, clients in turn order (a Map and a Set iterate in insertion
  // order); each request leaves once admitted, refused or abandoned, and a client once it has
  // none waiting, so nothing of a finished wait is kept.
  const queues = new Map<string, Set<Waiter>>();
  let queued = 0;
  let queuedInWindow = false;

  const drain = () => {
    while (inFlight < limit && queued > 0) {
      const [[client, waiting]] = queues;
      const [first] = waiting!;
      first!.admit();
      // Its turn is over: to the back of the line, if it has more waiting.
      if (queues.get(client!) === waiting) {
        queues.delete(client!);
        queues.set(client!, waiting!);
      }
    }
  };

  /** The newest request of the client with the most waiting, if it has more than `than`. */
  const newestOfLongest = (than: number): Waiter | undefined => {
    let longest: Set<Waiter> | undefined;
    for (const waiting of queues.values()) if (!longest || waiting.size > longest.size) longest = waiting;
    if (!longest || longest.size <= than) return undefined;
    let newest: Waiter | undefined;
    for (const waiter of longest) newest = waiter;
    return newest;
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
      limit = adjustConcurrencyLimit(limit, { delayMs, queued: queuedInWindow || queued > 0 }, AUTO_LIMIT);
      queuedInWindow = false;
      drain();
    }, WINDOW_MS);
    timer.unref();
  }

  return {
    acquire(signal, client = '') {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (inFlight < limit && queued === 0) {
        inFlight += 1;
        return Promise.resolve(once(release));
      }
      if (queued >= config.maxQueue) {
        const pushedOut = newestOfLongest((queues.get(client)?.size ?? 0) + 1);
        if (!pushedOut) {
          return Promise.reject(
            overloaded(`The gateway is at capacity (${inFlight} operations running, ${queued} waiting: server.admission.maxQueue); retry shortly`),
          );
        }
        pushedOut.evict();
      }
      queuedInWindow = true;
      let waiting = queues.get(client);
      if (!waiting) queues.set(client, (waiting = new Set()));
      const own = waiting;
      return new Promise((resolve, reject) => {
        const settle = () => {
          own.delete(waiter);
          if (own.size === 0 && queues.get(client) === own) queues.delete(client);
          queued -= 1;
          clearTimeout(timeout);
          signal.removeEventListener('abort', onAbort);
        };
        const waiter: Waiter = {
          admit: () => {
            settle();
            inFlight += 1;
            resolve(once(release));
          },
          evict: () => {
            settle();
            reject(overloaded(`The gateway is at capacity and this client has the most requests waiting (server.admission.maxQueue); retry shortly`));
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
        own.add(waiter);
        queued += 1;
      });
    },
    state: () => ({ limit, inFlight, queued }),
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
