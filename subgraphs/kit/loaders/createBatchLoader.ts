import DataLoader from 'dataloader';
import { defaultMaxKeyLength, unsendableKey } from './unsendableKey.js';

export interface BatchLoaderOptions<K, V> {
  /**
   * Most keys one backend call may carry; a larger batch is split into several calls.
   * Set it to the backend's own limit.
   */
  maxBatchSize: number;
  /**
   * Fetches the values for distinct keys, at most `maxBatchSize` of them. The answer may be in
   * any order and may leave out keys the backend does not know.
   */
  fetch: (keys: readonly K[]) => Promise<readonly V[]>;
  /** The key a fetched value answers. */
  keyOf: (value: V) => K;
  /**
   * Longest string key sent to the backend; a longer one fails alone with BAD_USER_INPUT.
   * @default 256
   */
  maxKeyLength?: number;
}

/**
 * A per-request loader over a batch endpoint: every key asked for in one tick goes to the
 * backend in as few calls as its limit allows, each key once. A key the backend left out
 * resolves to null; a key too long to send, or not Unicode, fails alone. When a call fails, the keys it carried fail and the other calls' keys do not.
 */
export function createBatchLoader<K, V>(options: BatchLoaderOptions<K, V>): DataLoader<K, V | null> {
  const { maxBatchSize, fetch, keyOf, maxKeyLength = defaultMaxKeyLength } = options;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new TypeError(`maxBatchSize must be a positive integer (got ${String(maxBatchSize)}).`);
  }
  return new DataLoader<K, V | null>(
    async (keys) => {
      const refused = keys.map((key) => unsendableKey(key, maxKeyLength));
      const sent = keys.filter((_key, index) => refused[index] === undefined);
      const values = sent.length > 0 ? await fetch(sent) : [];
      const byKey = new Map<K, V>();
      for (const value of values) byKey.set(keyOf(value), value);
      return keys.map((key, index) => refused[index] ?? byKey.get(key) ?? null);
    },
    { maxBatchSize },
  );
}
