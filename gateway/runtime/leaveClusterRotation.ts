import type http from 'node:http';
import type https from 'node:https';
import net from 'node:net';
import { clusterMessage } from './clusterMessages.js';

/**
 * How a cluster worker's drain closes its listener (`stopListening` of
 * `common/http/createHttpDrain.ts`): it asks the primary to take it out of the rotation
 * (`portico:stop-listening`, the primary calls `worker.disconnect()`), rather than closing its
 * listener itself.
 *
 * Under Node's round-robin scheduling the primary accepts every connection and hands it to a
 * worker over IPC. A worker that has closed its listener refuses a connection handed to it, and
 * the primary hands it to another; when none is left (the last worker closed its listener while a
 * connection was on its way to it), Node keeps the connection in a queue nobody reads: accepted,
 * the client's request sent, never answered nor closed until the primary exits
 * (nodejs/node#21746; still so in Node 20). The primary's `worker.disconnect()` takes the worker
 * out of the rotation in the primary first, so that no connection is handed to it afterwards; one
 * already on its way arrives before the primary's `disconnect` message (the IPC channel keeps
 * order), while the worker still listens, and is answered (with `connection: close`).
 *
 * On that message Node closes the worker's servers with their own `close()`, which for an HTTP
 * server also closes idle keep-alive connections, resetting a request a client sends on one at
 * that moment: the drain leaves them open (see createHttpDrain), so that close is net.Server's,
 * once. Node then closes the IPC channel once the server has closed, at the end of the drain.
 */
export function leaveClusterRotation(httpServer: http.Server | https.Server): void {
  const ownClose = httpServer.close;
  const closeListenerOnly = (callback?: (error?: Error) => void) => {
    httpServer.close = ownClose;
    return net.Server.prototype.close.call(httpServer, callback);
  };
  httpServer.close = closeListenerOnly as typeof httpServer.close;
  // Without its primary a worker is not handed connections (and Node ends it at once).
  if (process.connected && process.send) process.send(clusterMessage('portico:stop-listening', {}));
  else httpServer.close();
}
