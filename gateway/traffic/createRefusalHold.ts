import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RefusalHoldOptions {
  /** The longest a refusal is held (`rateLimit.perAddress.holdRefusalsMs`); 0: never held. */
  holdMs: number;
  /** Most refusals held at once for one address (`rateLimit.perAddress.maxHeldRequests`). */
  maxPerAddress: number;
  /** Most refusals held at once in all. @default 4096 */
  maxTotal?: number;
}

/** What became of a refusal given to `hold`. */
export type HoldOutcome =
  /** Held, and now due: answer it (and close the connection). */
  | 'held'
  /** Not held (holding is off or stopped, every slot is taken, or no client connection to hold): answer it at once. */
  | 'now'
  /** The address already has its most held, or its client has already gone: its connection is closed, there is nobody to answer. */
  | 'dropped';

export interface RefusalHold {
  /**
   * Holds a refusal for `address` for `min(untilResetMs, holdMs)`, or less if the client goes away or `releaseAll` runs.
   * Only a request on a connection the server accepted is held: a stand-in request (a WebSocket
   * operation's, see runSocketOperation) has no connection whose close would end the hold, and
   * its refusal is answered at once.
   */
  hold(address: string, untilResetMs: number, req: IncomingMessage, res: ServerResponse): Promise<HoldOutcome>;
  /** Refusals held now, in all and for one address. */
  heldNow(address?: string): number;
  /** Answers every held refusal now, and every later one at once: the gateway is draining. */
  releaseAll(): void;
}

const DEFAULT_MAX_TOTAL = 4096;

/**
 * A tarpit for addresses over their rate limit. Answering a 429 at once costs the gateway about
 * as much as the request's own cheapest refusal, and a client that sends its next request as soon
 * as it is answered can make thousands of them a second; held until its window resets, each of
 * its connections is answered about once per window instead. Holding costs a timer and an open
 * socket, so it is bounded per address (past it, the connection is destroyed without an answer:
 * that client pipelines or keeps opening connections, see `limitConnectionsPerAddress`) and in
 * all (past it, refusals are answered at once, as without a hold).
 */
export function createRefusalHold(options: RefusalHoldOptions): RefusalHold {
  const maxTotal = options.maxTotal ?? DEFAULT_MAX_TOTAL;
  const heldBy = new Map<string, number>();
  const releases = new Set<() => void>();
  let stopped = false;
  const change = (address: string, delta: number) => {
    const next = (heldBy.get(address) ?? 0) + delta;
    if (next > 0) heldBy.set(address, next);
    else heldBy.delete(address);
  };
  return {
    async hold(address, untilResetMs, req, res) {
      const ms = Math.min(Math.max(0, untilResetMs), options.holdMs);
      if (ms === 0 || stopped || !onAcceptedConnection(req)) return 'now';
      // It left while its count was taken (a store round trip): a hold would outlive it, for nothing.
      if (res.destroyed || req.socket.destroyed) return 'dropped';
      if ((heldBy.get(address) ?? 0) >= options.maxPerAddress) {
        req.socket.destroy();
        return 'dropped';
      }
      if (releases.size >= maxTotal) return 'now';
      change(address, 1);
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          res.off('close', release);
          releases.delete(release);
          resolve();
        };
        const timer = setTimeout(release, ms);
        res.once('close', release);
        releases.add(release);
      });
      change(address, -1);
      return 'held';
    },
    heldNow: (address) => (address === undefined ? releases.size : (heldBy.get(address) ?? 0)),
    releaseAll() {
      stopped = true;
      for (const release of [...releases]) release();
    },
  };
}

/** Whether `req` came on a connection a server accepted (not a stand-in's unconnected socket). */
function onAcceptedConnection(req: IncomingMessage): boolean {
  return (req.socket as { server?: unknown } | null)?.server != null;
}
