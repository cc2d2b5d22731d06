export interface InflightDedup<T> {
  /**
   * Runs `start` for `key`, or joins the run already in flight for it. The shared run is given a
   * signal that aborts only once every caller waiting on it has aborted; each caller still stops
   * waiting as soon as its own `signal` aborts. `joined` is told when this call joined a run.
   */
  run(key: string, signal: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<T>, joined?: () => void): Promise<T>;
  /** Runs in flight now. */
  size(): number;
}

interface Shared<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiting: number;
}

/**
 * In-flight de-duplication: identical requests made while one is under way wait for its answer
 * instead of sending their own. Nothing is cached: the entry goes when the run settles. Every
 * caller gets the same result: share only what no caller changes (the subgraph client shares the
 * answer's text, and each caller parses its own).
 */
export function createInflightDedup<T>(): InflightDedup<T> {
  const inflight = new Map<string, Shared<T>>();

  return {
    run(key, signal, start, joined) {
      let shared = inflight.get(key);
      // A run every caller has left is cancelled, though it stays listed until it settles: a new
      // caller starts its own run rather than share that cancellation.
      if (shared === undefined || shared.controller.signal.aborted) {
        const controller = new AbortController();
        const created: Shared<T> = { controller, waiting: 0, promise: Promise.resolve().then(() => start(controller.signal)) };
        const forget = () => {
          if (inflight.get(key) === created) inflight.delete(key);
        };
        created.promise.then(forget, forget);
        inflight.set(key, created);
        shared = created;
      } else {
        joined?.();
      }
      return wait(shared, signal);
    },
    size: () => inflight.size,
  };
}

/** One caller's wait on a shared run; when the last waiting caller leaves, the run is aborted. */
function wait<T>(shared: Shared<T>, signal: AbortSignal | undefined): Promise<T> {
  shared.waiting += 1;
  return new Promise<T>((resolve, reject) => {
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      signal?.removeEventListener('abort', onAbort);
      shared.waiting -= 1;
    };
    const onAbort = () => {
      leave();
      if (shared.waiting === 0) shared.controller.abort(signal?.reason);
      reject(signal?.reason as Error);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    shared.promise.then(
      (result) => {
        if (left) return;
        leave();
        resolve(result);
      },
      (error: unknown) => {
        if (left) return;
        leave();
        reject(error);
      },
    );
  });
}
