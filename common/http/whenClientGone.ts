import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// One `close` listener per connection, however many pipelined requests on it are watching.
const watchers = new WeakMap<Socket, Set<() => void>>();

/**
 * Calls `gone` once the client of `res` has gone: its response was closed before it finished, or
 * its connection closed. Both are needed: a response pipelined behind another on the same
 * connection has no socket of its own yet, so when the connection drops it is never closed (nor
 * `destroyed`), and only the connection says its client is gone. Called at once when the client
 * left before this was asked. Returns what stops the watch (it also stops once called, or once
 * the response is closed).
 */
export function whenClientGone(res: ServerResponse, gone: () => void): () => void {
  const socket = res.req.socket;
  let watching = true;
  const stop = () => {
    if (!watching) return;
    watching = false;
    res.off('close', onResponseClose);
    // The set stays, empty or not, with its one listener: keep-alive requests come and go on it.
    watchers.get(socket)?.delete(fire);
  };
  function fire(): void {
    if (!watching) return;
    stop();
    gone();
  }
  function onResponseClose(): void {
    if (res.writableFinished) stop();
    else fire();
  }
  if (res.destroyed || socket.destroyed) {
    watching = false;
    gone();
    return stop;
  }
  res.once('close', onResponseClose);
  let set = watchers.get(socket);
  if (!set) {
    const created = new Set<() => void>();
    watchers.set(socket, created);
    socket.once('close', () => {
      watchers.delete(socket);
      for (const watcher of created) watcher();
    });
    set = created;
  }
  set.add(fire);
  return stop;
}
