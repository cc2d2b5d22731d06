import type { ServerResponse } from 'node:http';
import { whenClientGone } from './whenClientGone.js';

/**
 * Whether the client took what was written within `timeoutMs` (false: it did not, or it left:
 * its response closed, or its connection, for a response pipelined behind another, which has no
 * socket to drain and is never closed; see whenClientGone).
 */
export function drained(res: ServerResponse, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let unwatch: (() => void) | undefined;
    let settled = false;
    const done = (taken: boolean) => () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      res.off('drain', onDrain);
      unwatch?.();
      resolve(taken);
    };
    const onDrain = done(true);
    const timer = setTimeout(done(false), timeoutMs);
    timer.unref();
    res.once('drain', onDrain);
    unwatch = whenClientGone(res, done(false));
  });
}
