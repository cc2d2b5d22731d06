import { Cancellation, type CancelSignal } from './Cancellation.js';

export interface InflightDedup<T> {
  /**
   * Runs `start` for `key`, or joins the run already in flight for it. The shared run is given a
   * signal that aborts only once every caller waiting on it has aborted; each caller still stops
   * waiting as soon as its own `signal` aborts. `joined` is told when this call joined a run.
   */
  run(key: string, signal: CancelSignal | undefined, start: (signal: CancelSignal) => Promise<T>, joined?: () => void): Promise<T>;
  /** Runs in flight now. */
  size(): number;
}

/**
 * In-flight de-duplication: identical requests made while one is under way wait for its answer
 * instead of sending their own. Nothing is cached: the entry goes when the run settles. Every
 * caller gets the same result: share only what no caller changes, or what hands each caller its
 * own (the subgraph client's `SharedAnswer`), told by `shareAmong` how many callers a result
 * goes to before any of them gets it.
 */
export function createInflightDedup<T>(shareAmong?: (result: T, callers: number) => void): InflightDedup<T> {
  const inflight = new Map<string, SharedRun<T>>();

  return {
    run(key, signal, start, joined) {
      const found = inflight.get(key);
      // A run every caller has left is cancelled, though it stays listed until it settles: a new
      // caller starts its own run rather than share that cancellation.
      if (found !== undefined && !found.aborted) {
        joined?.();
        return found.wait(signal);
      }
      const shared = new SharedRun<T>(inflight, key, shareAmong);
      inflight.set(key, shared);
      // The first caller waits before the run starts, as every later one does.
      const waiting = shared.wait(signal);
      let running: Promise<T>;
      try {
        running = start(shared);
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (result) => shared.settle(true, result),
        (error: unknown) => shared.settle(false, error),
      );
      return waiting;
    },
    size: () => inflight.size,
  };
}

/**
 * One run and the callers waiting on it; also the run's own cancellation, which aborts once no
 * caller waits. Its callers are settled from one list, not a `then` each.
 */
class SharedRun<T> extends Cancellation {
  /** Callers still waiting. */
  waiting = 0;
  private readonly waiters: Waiter<T>[] = [];

  constructor(
    private readonly inflight: Map<string, SharedRun<T>>,
    private readonly key: string,
    private readonly shareAmong: ((result: T, callers: number) => void) | undefined,
  ) {
    super();
  }

  /** One caller's wait; when the last waiting caller leaves, the run is aborted. */
  wait(signal: CancelSignal | undefined): Promise<T> {
    this.waiting += 1;
    return new Promise<T>((resolve, reject) => {
      const waiter = new Waiter(this, signal, resolve, reject);
      if (signal?.aborted) return waiter.handleEvent();
      this.waiters.push(waiter);
      signal?.addEventListener('abort', waiter, once);
    });
  }

  settle(ok: boolean, value: unknown): void {
    if (this.inflight.get(this.key) === this) this.inflight.delete(this.key);
    // Every caller still waiting gets it; one that left before now does not.
    if (ok) this.shareAmong?.(value as T, this.waiting);
    for (const waiter of this.waiters) waiter.settle(ok, value);
    this.waiters.length = 0;
  }
}

/** A caller waiting on a shared run; its own signal's abort listener. */
class Waiter<T> {
  private left = false;

  constructor(
    private readonly shared: SharedRun<T>,
    private readonly signal: CancelSignal | undefined,
    private readonly resolve: (result: T) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  /** The caller's signal aborted: it stops waiting, and the run stops when no caller waits. */
  handleEvent(): void {
    if (this.left) return;
    this.leave();
    if (this.shared.waiting === 0) this.shared.abort(this.signal?.reason);
    this.reject(this.signal?.reason);
  }

  settle(ok: boolean, value: unknown): void {
    if (this.left) return;
    this.leave();
    if (ok) this.resolve(value as T);
    else this.reject(value);
  }

  private leave(): void {
    this.left = true;
    this.signal?.removeEventListener('abort', this);
    this.shared.waiting -= 1;
  }
}

const once = { once: true } as const;
