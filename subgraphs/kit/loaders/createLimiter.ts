/** Runs a task when a slot is free; rejects, without running it, once the request is cancelled. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * At most `max` tasks pending at once; the rest start in arrival order, unless `signal` has
 * fired by their turn. One limiter per backend service per request, shared by every loader that
 * calls that service, so the cap is on the service's calls, not on each loader's.
 */
export function createLimiter(max: number, signal?: AbortSignal): Limiter {
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError(`concurrency must be a positive integer (got ${String(max)}).`);
  }
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function limit<T>(task: () => Promise<T>): Promise<T> {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    if (signal?.aborted) {
      waiting.shift()?.();
      throw new Error('The request was cancelled before this call started.');
    }
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}
