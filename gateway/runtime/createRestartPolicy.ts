export interface RestartPolicyOptions {
  /** Workers in a row that die before they listen, after which the primary gives up. @default 5 */
  maxStartFailures?: number;
  /** The delay before the second replacement in `windowMs`; it doubles for each further one. @default 250 */
  baseDelayMs?: number;
  /** The longest delay before a replacement. @default 10000 */
  maxDelayMs?: number;
  /** How long a death keeps slowing replacements down. @default 60000 */
  windowMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export type RestartDecision = { restart: true; delayMs: number } | { restart: false; reason: string };

export interface RestartPolicy {
  /** A worker has listened: the workers start, whatever killed the earlier ones. */
  workerListened(): void;
  /** A worker died unexpectedly: replace it (after `delayMs`), or give up. */
  workerDied(listened: boolean): RestartDecision;
}

/**
 * When the cluster primary replaces a worker that died. The first death in a while is replaced
 * at once; deaths close together back off exponentially, so that a worker crashing on every
 * request cannot make the primary fork in a tight loop. Workers that keep dying before they
 * listen (a supergraph file that went away, a port taken) will not start on the next try either:
 * after `maxStartFailures` of them in a row the primary gives up rather than fork forever.
 */
export function createRestartPolicy(options: RestartPolicyOptions = {}): RestartPolicy {
  const { maxStartFailures = 5, baseDelayMs = 250, maxDelayMs = 10_000, windowMs = 60_000, now = Date.now } = options;
  const deaths: number[] = [];
  let startFailures = 0;
  return {
    workerListened: () => {
      startFailures = 0;
    },
    workerDied: (listened) => {
      const at = now();
      deaths.push(at);
      while (deaths.length > 0 && deaths[0]! <= at - windowMs) deaths.shift();
      if (!listened) startFailures += 1;
      if (startFailures >= maxStartFailures) {
        return { restart: false, reason: `${startFailures} workers in a row died before they could listen` };
      }
      const recent = deaths.length;
      return { restart: true, delayMs: recent <= 1 ? 0 : Math.min(maxDelayMs, baseDelayMs * 2 ** (recent - 2)) };
    },
  };
}
