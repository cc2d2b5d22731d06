import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError } from 'graphql';
// Renamed: the linter takes any use* call for a React hook.
import { useServer as serveGraphQLWs } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ErrorCode } from '../../../common/errorCodes.js';
import type { Logger } from '../../../common/createLogger.js';
import { HttpError } from '../../../common/http/HttpError.js';
import type { RequestScope } from '../requestScope.js';
import type { OperationRunner } from './OperationRunner.js';

export interface WebSocketTransportOptions {
  httpServer: Server;
  /** The GraphQL path: upgrades elsewhere get 404. */
  path: string;
  runner: OperationRunner;
  logger: Logger;
  /**
   * Checks an upgrade request before it is accepted (signature, nonce, identity) and resolves
   * with the scope every operation on the connection runs as; throws an HttpError to refuse it.
   */
  accept(req: IncomingMessage, signal: AbortSignal): Promise<RequestScope>;
  /** Refuses upgrades (503) once the server drains. */
  isDraining(): boolean;
  /** Largest message, in bytes; a longer one closes the connection with 1009. */
  maxMessageBytes: number;
  /** Operations running at once on one connection; one more is answered with an error. */
  maxOperationsPerConnection: number;
  /** Interval of ws pings; a peer that has not answered the last one by the next is dropped. */
  keepAliveMs: number;
}

export interface WebSocketTransport {
  /** Closes every connection with 1001 (going away) and stops accepting upgrades. */
  close(): Promise<void>;
  /** Open connections, for tests and logs. */
  readonly connections: number;
}

/** Per connection: the scope of its verified upgrade, and its operations' abort controllers. */
interface Connection {
  scope: RequestScope;
  closed: AbortController;
  operations: Map<string, AbortController>;
}

/**
 * GraphQL over WebSocket (`graphql-transport-ws`, the graphql-ws library) on the GraphQL path.
 * The upgrade is a signed GET like any other gateway request and is verified before it is
 * accepted: a refusal is an HTTP answer (401, 503…) on the upgrade, never a close after it. The
 * identity of the verified upgrade is the caller of every operation on the connection.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { runner, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const connections = new WeakMap<IncomingMessage, Connection>();

  options.httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // An error on the raw socket before the handshake (a reset) must not become an uncaught one.
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head).catch((error: unknown) => refuseUpgrade(socket, error, logger));
  });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== options.path) throw new HttpError(ErrorCode.NOT_FOUND, `No WebSocket endpoint at ${pathname}; GraphQL is served at ${options.path}`);
    if (options.isDraining()) throw new HttpError(ErrorCode.SERVICE_NOT_READY, 'The subgraph is shutting down; connect to another replica.');
    const closed = new AbortController();
    const scope = await options.accept(req, closed.signal);
    if (socket.destroyed) return;
    connections.set(req, { scope, closed, operations: new Map() });
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once('close', () => closed.abort());
      // Before graphql-ws's own listener: a message type only a server sends (graphql-ws would
      // throw on it and close with 4500, an internal error) closes with 4400, as the protocol says.
      ws.on('message', (data) => {
        if (!sentByServerOnly(data)) return;
        ws.close(4400, 'Invalid message received: a client does not send this type');
      });
      wss.emit('connection', ws, req);
    });
  }

  const server = serveGraphQLWs(
    {
      // Each operation's arguments come from onSubscribe, context included; graphql-ws then
      // runs it with graphql's execute or subscribe.
      onSubscribe: async (ctx, id, payload) => {
        const connection = connections.get(ctx.extra.request);
        if (!connection) return [new GraphQLError('The connection is not open.', { extensions: { code: ErrorCode.BAD_REQUEST } })];
        if (connection.operations.size >= options.maxOperationsPerConnection) {
          return [
            new GraphQLError(`At most ${options.maxOperationsPerConnection} operations may run at once on one connection.`, {
              extensions: { code: ErrorCode.BAD_REQUEST, limit: options.maxOperationsPerConnection },
            }),
          ];
        }
        const aborted = new AbortController();
        connection.operations.set(id, aborted);
        const scope: RequestScope = { ...connection.scope, signal: AbortSignal.any([aborted.signal, connection.closed.signal]) };
        const ready = runner.prepare(payload, scope);
        if (!ready.ok) {
          connection.operations.delete(id);
          return ready.result.errors as readonly GraphQLError[];
        }
        return ready.args;
      },
      onNext: (ctx, _id, _payload, _args, result) => runner.format(result, connections.get(ctx.extra.request)?.scope ?? { logger }),
      onError: (ctx, _id, _payload, errors) => runner.format({ errors }, connections.get(ctx.extra.request)?.scope ?? { logger }).errors,
      onComplete: (ctx, id) => {
        const connection = connections.get(ctx.extra.request);
        connection?.operations.get(id)?.abort();
        connection?.operations.delete(id);
      },
    },
    wss,
    options.keepAliveMs,
  );

  return {
    async close() {
      await server.dispose();
    },
    get connections() {
      return wss.clients.size;
    },
  };
}

// The answer to a refused upgrade: an HTTP response on the raw socket, then the socket closed.
// Never throws: the socket may already be gone.
function refuseUpgrade(socket: Duplex, error: unknown, logger: Logger): void {
  const refusal = error instanceof HttpError ? error : new HttpError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  if (!(error instanceof HttpError)) logger.error({ err: error }, 'unexpected error while accepting a WebSocket');
  try {
    if (socket.destroyed) return;
    const body = JSON.stringify(refusal.toBody());
    const headers = {
      ...refusal.headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${refusal.status} ${statusText(refusal.status)}\r\n${head}\r\n${body}`);
  } catch {
    socket.destroy();
  }
}

function statusText(status: number): string {
  return { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
}

const SERVER_ONLY_TYPES = new Set(['connection_ack', 'next', 'error']);

// Whether a frame is a protocol message of a type only the server sends. Anything else (including
// frames that are not JSON) is graphql-ws's to judge.
function sentByServerOnly(data: unknown): boolean {
  try {
    const message = JSON.parse(String(data)) as unknown;
    return typeof message === 'object' && message !== null && SERVER_ONLY_TYPES.has(String((message as { type?: unknown }).type));
  } catch {
    return false;
  }
}
