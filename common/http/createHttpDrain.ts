import type http from 'node:http';
import type https from 'node:https';
import net, { type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../createLogger.js';

export interface HttpDrainOptions {
  httpServer: http.Server | https.Server;
  /** How long the listener stays open after `/ready` starts failing. */
  delayMs: number;
  /** Past it, connections still open are destroyed. */
  gracePeriodMs: number;
  /** Called first, synchronously, when the drain begins (readiness starts failing). */
  onDrainStart: () => void;
  logger: Logger;
  /** The names the operator sets `delayMs` and `gracePeriodMs` by, so that the log says what to change. */
  settings: { delay: string; gracePeriod: string };
  /**
   * Closes the listener (step 2); the drain then waits for the server's `close` event. A Node
   * cluster worker does not close its listener itself: it has the primary take it out of the
   * rotation (`gateway/runtime/leaveClusterRotation.ts`).
   * @default net.Server's close (http.Server's would also close idle keep-alive connections)
   */
  stopListening?: (httpServer: http.Server | https.Server) => void;
}

export interface HttpDrain {
  /**
   * Drains the HTTP server; resolves once no connection is left. Run it before the server stops
   * executing operations (Apollo Server's `drainServer`), so that requests in flight finish.
   */
  drain(): Promise<void>;
}

/**
 * The graceful stop of an HTTP server (the gateway's, a subgraph's), in an order that loses no request:
 *
 * 1. `/ready` fails (`onDrainStart`), and from then on every response says `connection: close`,
 *    including those of requests already accepted that have not answered yet; Node closes each
 *    such connection once its response is sent. A client sends nothing more on a connection whose
 *    last response said `close`, so closing it cannot race a request.
 * 2. After `delayMs` (time for load balancers to see `/ready` fail), the listener closes: new
 *    connections are refused from then on, and only then. (In a Node cluster worker, the
 *    primary closes it: see `stopListening`.)
 * 3. Idle keep-alive connections are *not* closed by the drain: a client may be sending on one
 *    at that very moment, and would get a reset (this is what `server.close()` does since Node
 *    19, through `closeIdleConnections()`, and what Apollo's `ApolloServerPluginDrainHttpServer`
 *    does with `socket.end()`). Each one either carries one more request, answered with
 *    `connection: close`, or is closed by Node's keep-alive timeout, which every response
 *    announced (`Keep-Alive: timeout=5`): clients that honour it (undici, browsers, load
 *    balancers) stop using a connection before the server may close it, so that close is race-free
 *    as on any ordinary day.
 * 4. Once no connection is left, the drain is over; past `gracePeriodMs`, whatever is still open
 *    is destroyed (and the stop says so).
 */
export function createHttpDrain(options: HttpDrainOptions): HttpDrain {
  const { httpServer, logger } = options;
  let draining = false;
  // Responses not yet sent in full, and every open connection (to destroy at the grace period).
  const unanswered = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();

  httpServer.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Create the drain before the server's request handler is attached, so that this runs first.
  httpServer.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (draining) {
      closeAfter(res);
      return;
    }
    unanswered.add(res);
    const forget = () => unanswered.delete(res);
    res.once('finish', forget);
    res.once('close', forget);
  });

  const drain = async (): Promise<void> => {
    draining = true;
    options.onDrainStart();
    for (const res of unanswered) closeAfter(res);
    unanswered.clear();
    if (options.delayMs > 0) {
      logger.info(`not ready; the listener closes in ${options.delayMs} ms (${options.settings.delay})`);
      await sleep(options.delayMs);
    }
    // Emitted once the listener is closed and no connection is left.
    const closed = new Promise<void>((resolve) => httpServer.once('close', () => resolve()));
    (options.stopListening ?? closeListener)(httpServer);
    const grace = AbortSignal.timeout(options.gracePeriodMs);
    const forced = new Promise<'forced'>((resolve) => grace.addEventListener('abort', () => resolve('forced'), { once: true }));
    if ((await Promise.race([closed, forced])) === 'forced') {
      logger.warn(
        `${sockets.size} connection${sockets.size === 1 ? '' : 's'} still open ${options.gracePeriodMs} ms into the stop (${options.settings.gracePeriod}): closing them`,
      );
      for (const socket of sockets) socket.destroy();
      await closed;
    }
    // Now that nothing is left, http.Server's own close clears its timers too.
    httpServer.close();
  };

  return { drain };
}

/** net.Server's close, not http.Server's: that one also destroys idle keep-alive connections. */
function closeListener(httpServer: http.Server | https.Server): void {
  net.Server.prototype.close.call(httpServer);
}

/** Makes a response close its connection once sent, if its headers have not gone out yet. */
function closeAfter(res: http.ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}
