import type { ServerResponse } from 'node:http';

/**
 * Writes a chunk and resolves once the response can take more (true), or once it has closed
 * (false). Waiting here is what makes a slow reader slow the stream down: the transport pulls the
 * next result only after this resolves, so the subscriber's bounded queue, not this response's
 * buffer, is where a backlog builds (and ends the subscription when full).
 */
export function writeWhenReady(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ready);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
