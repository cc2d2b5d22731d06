/** The bytes of request bodies one client holds, taken as they arrive and given back when done. */
export interface ByteAccount {
  /** Takes `bytes` if they fit, for this client and in all, and says whether they did (nothing is taken otherwise). */
  take(bytes: number): boolean;
  give(bytes: number): void;
}

/**
 * Bytes of request bodies the process holds at once, across every request, with a share no one
 * client may pass: reading bodies before admission means their number is no longer bounded by
 * admission's slots; this bounds what they can hold instead, and the share keeps one client
 * (one address, sending large bodies slowly) from holding all of it and refusing everyone else.
 */
export interface ByteBudget {
  /** The account of one client (its address, as rate limits resolve it). */
  account(client: string): ByteAccount;
  /** Bytes taken now, in all. */
  used(): number;
  /** Bytes one client holds now. */
  usedBy(client: string): number;
}

/**
 * `maxBytes` in all, at most `maxPerClient` for any one client. A client's entry exists only
 * while it holds bytes, so the map is bounded by the requests whose bodies are being held.
 */
export function createByteBudget(maxBytes: number, maxPerClient = maxBytes): ByteBudget {
  let used = 0;
  const byClient = new Map<string, number>();
  const usedBy = (client: string) => byClient.get(client) ?? 0;
  return {
    account: (client) => ({
      take(bytes) {
        const held = usedBy(client);
        if (used + bytes > maxBytes || held + bytes > maxPerClient) return false;
        used += bytes;
        byClient.set(client, held + bytes);
        return true;
      },
      give(bytes) {
        used = Math.max(0, used - bytes);
        const left = usedBy(client) - bytes;
        if (left > 0) byClient.set(client, left);
        else byClient.delete(client);
      },
    }),
    used: () => used,
    usedBy,
  };
}
