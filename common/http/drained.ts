import type { ServerResponse } from 'node:http';

/** Whether the client took what was written within `timeoutMs` (false: it did not, or it left). */
export function drained(res: ServerResponse, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (taken: boolean) => () => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(taken);
    };
    const onDrain = done(true);
    const onClose = done(false);
    const timer = setTimeout(done(false), timeoutMs);
    timer.unref();
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
