/**
 * Bytes of request bodies the process holds at once, across every request: each is taken as it
 * arrives and given back once its request is done. Reading bodies before admission means their
 * number is no longer bounded by admission's slots; this bounds what they can hold instead.
 */
export interface ByteBudget {
  /** Takes `bytes` if they fit and says whether they did (nothing is taken otherwise). */
  take(bytes: number): boolean;
  give(bytes: number): void;
  /** Bytes taken now. */
  used(): number;
}

export function createByteBudget(maxBytes: number): ByteBudget {
  let used = 0;
  return {
    take(bytes) {
      if (used + bytes > maxBytes) return false;
      used += bytes;
      return true;
    },
    give(bytes) {
      used = Math.max(0, used - bytes);
    },
    used: () => used,
  };
}
