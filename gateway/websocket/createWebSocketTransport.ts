import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServerResponse as NodeServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';
import { parseRequestTarget } from '../../common/http/parseRequestTarget.js';
import type { Cors } from '../http/createCors.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import { checkUpgrade, GRAPHQL_TRANSPORT_WS } from './checkUpgrade.js';
import { SocketClose, type CloseReason } from './closeCodes.js';
import { refuseUpgrade } from './refuseUpgrade.js';
import { serveConnection, type ConnectionOptions, type ServedConnection } from './serveConnection.js';

export interface WebSocketTransportOptions extends Omit<ConnectionOptions, 'onOperations'> {
  /** `server.graphqlPath`: the only path upgraded. */
  graphqlPath: string;
  /** The features' `arrive` hooks (the per-address rate limit), run for each upgrade. */
  arrive: Pipeline['arrive'];
  cors: Pick<Cors, 'allowsOrigin' | 'allowsCredentials'>;
  /** A request's client address, through `rateLimit.trustedProxies`. */
  clientAddressOf: (req: IncomingMessage) => string;
  /** Counts connections and operations (`portico_subscription_*{transport="websocket"}`); absent with metrics off. */
  observe?: {
    state(read: () => { connections: number; operations: number }): void;
    closed(reason: CloseReason): void;
  };
}

export interface WebSocketTransport {
  /** The HTTP server's `upgrade` listener. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Stops taking upgrades at once, then, after `delayMs` (`server.drainDelayMs`: load balancers
   * see `/ready` fail first), ends every connection's operations and closes it with 1001, so
   * that clients reconnect elsewhere. Resolves once every socket has closed (past
   * `gracePeriodMs`, those left are destroyed).
   */
  drain(delayMs: number, gracePeriodMs: number): Promise<void>;
}

/**
 * GraphQL over WebSocket on `server.graphqlPath`, for `graphql-transport-ws` clients. An upgrade
 * is checked before any WebSocket work: the path, the handshake and subprotocol, the Origin
 * (browsers send no preflight: an origin that is neither the gateway's own nor listed in
 * `server.cors.origins` gets 403), the drain, the connection caps (`maxConnections`,
 * `maxConnectionsPerAddress`) and the features' `arrive` hooks (the per-address rate limit);
 * each refusal is an HTTP answer with a JSON body and `extensions.code`. Accepted, the
 * connection is served by serveConnection.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { settings, logger } = options;
  // No deflate: it costs memory per connection and opens compression bombs; no client tracking: the set below is the one.
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: settings.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: () => GRAPHQL_TRANSPORT_WS,
  });
  const connections = new Set<ServedConnection>();
  const perAddress = new Map<string, number>();
  let pending = 0;
  let operations = 0;
  let draining = false;
  options.observe?.state(() => ({ connections: connections.size, operations }));
  const connectionOptions: ConnectionOptions = {
    ...options,
    onOperations: (delta) => {
      operations += delta;
    },
  };

  const admit = async (req: IncomingMessage, address: string): Promise<void> => {
    if (parseRequestTarget(req.url).pathname !== options.graphqlPath) {
      throw new HttpError(ErrorCode.NOT_FOUND, `WebSocket connections are served at ${options.graphqlPath} only`);
    }
    checkUpgrade(req);
    if (!options.cors.allowsOrigin(req)) {
      throw new HttpError(
        ErrorCode.FORBIDDEN,
        `Origin ${JSON.stringify(String(req.headers.origin).slice(0, 256))} is not allowed to open a WebSocket here (add it to server.cors.origins)`,
      );
    }
    // Browsers send cookies on an upgrade whatever the page's origin: one CORS would not let use
    // them (let in by "*" alone, or without server.cors.credentials) authenticates by its token only.
    if (!options.cors.allowsCredentials(req)) delete req.headers.cookie;
    if (draining) throw new HttpError(ErrorCode.SERVICE_NOT_READY, 'The gateway is stopping; connect again (to another replica)', { 'retry-after': '1' });
    // This upgrade is counted already (in `pending` and its address's count).
    if (connections.size + pending > settings.maxConnections) {
      throw new HttpError(
        ErrorCode.OVERLOADED,
        `The gateway holds ${settings.maxConnections} WebSocket connections, as many as it allows (server.websocket.maxConnections); retry shortly`,
        {
          'retry-after': '1',
        },
      );
    }
    if ((perAddress.get(address) ?? 0) > settings.maxConnectionsPerAddress) {
      throw new HttpError(
        ErrorCode.RATE_LIMITED,
        `This address has ${settings.maxConnectionsPerAddress} WebSocket connections open, as many as the gateway allows (server.websocket.maxConnectionsPerAddress); close one, or run several operations on one`,
        { 'retry-after': '1' },
        { limit: 'server.websocket.maxConnectionsPerAddress', allowed: settings.maxConnectionsPerAddress },
      );
    }
    // The per-address rate limit, as for every request to the GraphQL path; its headers are not sent.
    await options.arrive(req, new NodeServerResponse(req) as ServerResponse);
  };

  const count = (address: string, delta: number): void => {
    const next = (perAddress.get(address) ?? 0) + delta;
    if (next <= 0) perAddress.delete(address);
    else perAddress.set(address, next);
  };

  /**
   * An upgrade counted while it is checked, so that a burst of upgrades cannot pass the caps
   * together. Made apart from `upgrade` so that what stays with the socket until it closes (the
   * listener below, the counters) holds nothing of the upgrade request or its first bytes.
   */
  const hold = (socket: Duplex, address: string) => {
    pending += 1;
    count(address, 1);
    let checking = true;
    let counted = true;
    let upgraded = false;
    const unpend = () => {
      if (checking) (checking = false), (pending -= 1);
    };
    const uncount = () => {
      if (counted) (counted = false), count(address, -1);
    };
    // Gone before it was upgraded: refused (here, or by `ws` for a bad key or version), or its client left.
    socket.once('close', () => {
      if (upgraded) return;
      unpend();
      uncount();
    });
    return {
      upgraded() {
        upgraded = true;
        unpend();
      },
      refused() {
        unpend();
        uncount();
      },
      uncount,
    };
  };

  /** Serves an upgraded socket, counted until it closes. */
  const serve = (ws: WebSocket, req: IncomingMessage, address: string, held: ReturnType<typeof hold>) => {
    held.upgraded();
    const connection = serveConnection(ws, req, address, connectionOptions);
    connections.add(connection);
    void connection.closed.then((reason) => {
      connections.delete(connection);
      held.uncount();
      options.observe?.closed(reason);
    });
    // Checked before the drain began, upgraded after: it goes the way the others went.
    if (draining) void connection.shutdown(SocketClose.goingAway, 'The gateway is stopping; reconnect', 'going_away');
  };

  return {
    upgrade(req, socket, head) {
      // Until `ws` takes the socket over, nobody else listens for its errors: one would end the process.
      socket.on('error', destroySocket);
      const address = options.clientAddressOf(req);
      const held = hold(socket, address);
      admit(req, address)
        .then(
          () => {
            if (socket.destroyed) return;
            server.handleUpgrade(req, socket, head, (ws) => serve(ws, req, address, held));
          },
          (error: unknown) => {
            held.refused();
            if (!(error instanceof HttpError)) logger.error({ err: error }, 'unexpected error checking a WebSocket upgrade');
            refuseUpgrade(socket, error instanceof HttpError ? error : new HttpError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
          },
        )
        // Nothing may escape an upgrade as an unhandled rejection: that would end the process.
        .catch((error: unknown) => {
          try {
            logger.error({ err: error }, 'unexpected error upgrading a WebSocket; closing the connection');
          } catch {
            // The logger itself failed: closing the socket is all that is left.
          }
          socket.destroy();
        });
    },

    async drain(delayMs, gracePeriodMs) {
      draining = true;
      if (connections.size === 0) return;
      if (delayMs > 0) await sleep(delayMs);
      const all = [...connections].map((connection) => connection.shutdown(SocketClose.goingAway, 'The gateway is stopping; reconnect', 'going_away'));
      const grace = sleep(gracePeriodMs, 'forced' as const, { ref: false });
      if ((await Promise.race([Promise.all(all), grace])) === 'forced') {
        logger.warn(`${connections.size} WebSocket connection(s) still open ${gracePeriodMs} ms into the stop (server.shutdownGracePeriodMs): closing them`);
        for (const connection of connections) connection.terminate();
      }
      server.close();
    },
  };
}

/** A socket's `error` listener that closes it; a function of its own, so that it holds nothing of the upgrade that added it. */
function destroySocket(this: Duplex): void {
  this.destroy();
}
