import DataLoader from 'dataloader';
import { asError } from './asError.js';
import { createLimiter, type Limiter } from './createLimiter.js';
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
  /**
   * A limiter shared with the request's other loaders that call the same service (see
   * `createLimiter`); when set, it caps the calls instead of `concurrency` and `signal`.
   */
  limiter?: Limiter;
}

/**
 * A per-request loader over per-item endpoints: each distinct key is fetched once, at most
 * `concurrency` at a time (or as its shared `limiter` allows), and a failed key (or one too long
 * to send, or not Unicode) fails alone.
 */
export function createPerItemLoader<K, V>(options: PerItemLoaderOptions<K, V>): DataLoader<K, V> {
  const { fetch, concurrency = 8, signal, maxKeyLength = defaultMaxKeyLength } = options;
  const limit = options.limiter ?? createLimiter(concurrency, signal);
  return new DataLoader<K, V>((keys) =>
    Promise.all(keys.map((key) => unsendableKey(key, maxKeyLength) ?? limit(() => fetch(key)).catch((error: unknown) => asError(error)))),
  );
}
