import type { ServerResponse } from 'node:http';
import { drained } from './drained.js';
import { whenClientGone } from './whenClientGone.js';

/**
 * How a streamed answer ended: its results were over (`complete`), its client left (`client`),
 * its client left a written result untaken past `stalledMs` and was disconnected (`too_slow`),
 * or the results failed (`failed`, a bug: the client sees the stream end without its closing).
 */
export type StreamEnd = 'complete' | 'client' | 'too_slow' | 'failed';

export interface StreamFraming {
  /** Written once the head is out. */
  opening: string;
  /** Written every `heartbeatMs` while no result comes, unless the client has not read the last. */
  heartbeat: string;
  heartbeatMs: number;
  item: (result: unknown) => string;
  /** Written after the last result, before the response ends. */
  closing: string;
  /**
   * How long a client may leave a written result untaken before the connection is closed: a
   * client that stops reading holds one socket and one result, and not for long.
   * @default 30_000
   */
  stalledMs?: number;
}

/**
 * Writes `results` as they come, one at a time: the next is asked for only once the client has
 * taken the last (so a client that does not read holds nothing here; what waits for it is
 * bounded where the results come from). When the client leaves, `return()` ends the results at
 * once, even while one is awaited. Resolves with how it ended; never rejects.
 */
export async function writeStreamed(res: ServerResponse, results: AsyncIterator<unknown>, framing: StreamFraming): Promise<StreamEnd> {
  let gone = false;
  let end: StreamEnd = 'client';
  const leave = () => {
    if (gone) return;
    gone = true;
    void results.return?.().catch(() => {});
  };
  // Also when the client had gone while the operation was being set up, or its connection drops
  // while this response is pipelined behind another (see whenClientGone).
  const unwatch = whenClientGone(res, leave);
  const heartbeat = setInterval(() => {
    if (!res.writableNeedDrain && !res.destroyed) res.write(framing.heartbeat);
  }, framing.heartbeatMs);
  heartbeat.unref();
  try {
    res.write(framing.opening);
    for (;;) {
      const next = await results.next();
      if (next.done || gone) break;
      if (!res.write(framing.item(next.value)) && !(await drained(res, framing.stalledMs ?? 30_000))) {
        // Not taken in time (the client did not leave: then it is gone): destroyed, `close` comes later.
        if (!gone) end = 'too_slow';
        res.destroy();
        return end;
      }
      if (gone) break;
    }
    if (!gone) {
      end = 'complete';
      res.end(framing.closing);
    }
  } catch {
    // The results failed (a bug): the client sees the stream end without `complete`.
    if (!gone) {
      end = 'failed';
      res.destroy();
    }
  } finally {
    clearInterval(heartbeat);
    unwatch();
    leave();
  }
  return end;
}
