import DataLoader from 'dataloader';

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
}

/**
 * A per-request loader over a batch endpoint: every key asked for in one tick goes to the
 * backend in as few calls as its limit allows, each key once. A key the backend left out
 * resolves to null. When a call fails, the keys it carried fail and the other calls' keys do not.
 */
export function createBatchLoader<K, V>(options: BatchLoaderOptions<K, V>): DataLoader<K, V | null> {
  const { maxBatchSize, fetch, keyOf } = options;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new TypeError(`maxBatchSize must be a positive integer (got ${String(maxBatchSize)}).`);
  }
  return new DataLoader<K, V | null>(
    async (keys) => {
      const values = await fetch(keys);
      const byKey = new Map<K, V>();
      for (const value of values) byKey.set(keyOf(value), value);
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize },
  );
}
