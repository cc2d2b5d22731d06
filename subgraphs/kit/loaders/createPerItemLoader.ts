import DataLoader from 'dataloader';
import { defaultMaxKeyLength, unsendableKey } from './unsendableKey.js';

export interface PerItemLoaderOptions<K, V> {
  /** Fetches one key's value from an endpoint that serves one item per call. */
  fetch: (key: K) => Promise<V>;
  /**
   * Most calls this loader has in flight at once, however many batches it dispatches;
   * the rest wait their turn, so one large query cannot flood the backend.
   * @default 8
   */
  concurrency?: number;
  /**
   * The request's abort signal: once it fires, calls still waiting for a turn fail at once
   * instead of starting, so a client that went away stops costing the backend anything.
   */
  signal?: AbortSignal;
  /**
   * Longest string key sent to the backend; a longer one fails alone with BAD_USER_INPUT.
   * @default 256
   */
  maxKeyLength?: number;
}

/**
 * A per-request loader over per-item endpoints: each distinct key is fetched once, at most
 * `concurrency` at a time, and a failed key (or one too long to send, or not Unicode) fails alone.
 */
export function createPerItemLoader<K, V>(options: PerItemLoaderOptions<K, V>): DataLoader<K, V> {
  const { fetch, concurrency = 8, signal, maxKeyLength = defaultMaxKeyLength } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`concurrency must be a positive integer (got ${String(concurrency)}).`);
  }
  const limit = createLimiter(concurrency, signal);
  return new DataLoader<K, V>((keys) =>
    Promise.all(keys.map((key) => unsendableKey(key, maxKeyLength) ?? limit(() => fetch(key)).catch((error: unknown) => asError(error)))),
  );
}

// Runs tasks with at most `max` of them pending; the rest start in arrival order, unless the
// signal has fired by their turn.
function createLimiter(max: number, signal: AbortSignal | undefined) {
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

// DataLoader fails a key when its slot holds an Error; anything else thrown is wrapped.
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
