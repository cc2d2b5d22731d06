/**
 * What one call of a batch endpoint can carry. Backends limit more than the number of keys: a
 * list in a URL has a byte budget, and a list format cannot carry every key (a comma-separated
 * list cannot carry a comma: the backend would read several keys). `createBatchLoader` plans its
 * calls within these limits, so that no caller's key makes a call fail for the other keys in it.
 */
export interface BatchLimits<K> {
  /** Most keys one call may carry; set it to the backend's own limit. */
  maxBatchSize: number;
  /**
   * Whether a call can carry the key as it is. A key it cannot carry is never sent and resolves
   * to null: a backend whose own list format cannot carry an id does not hand out such ids, so
   * the key names nothing it knows.
   * @default every key
   */
  carries?: (key: K) => boolean;
  /** Bytes the key adds to a call (in a URL: its encoded form and its separator). Set with `maxBatchBytes`. */
  keyBytes?: (key: K) => number;
  /**
   * Most bytes of keys (`keyBytes` summed) one call may carry; a batch is split so that no call
   * carries more, and a key that alone needs more fails alone with BAD_USER_INPUT.
   * @default no limit
   */
  maxBatchBytes?: number;
}
