import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { ErrorCode } from '../../common/errorCodes.js';
import type { JsonLimits } from '../../common/http/checkJsonText.js';
import { HttpError } from '../../common/http/HttpError.js';
import type { Authenticator } from '../auth/createAuthenticator.js';
import type { WebSocketConfig } from '../config/WebSocketConfig.js';
import type { Viewer } from '../GatewayContext.js';
import type { ResultStream } from '../streaming/ResultStream.js';
import { closeReason, SocketClose, type CloseReason } from './closeCodes.js';
import { endStream, iteratorOf } from '../streaming/endStream.js';
import type { FormatError } from '../streaming/formatStreamItem.js';
import { serializeStreamItem } from '../streaming/serializeStreamItem.js';
import { afterPendingReads } from './afterPendingReads.js';
import { internalError } from './internalError.js';
import { nextMessage } from './nextMessage.js';
import { operationHeaders } from './operationHeaders.js';
import { rawDataBytes } from './rawDataBytes.js';
import { tooManyOperations } from './tooManyOperations.js';
import { whenTokenExpires } from './whenTokenExpires.js';
import { InvalidMessage, parseClientMessage, type ClientMessage, type SubscribePayload } from './parseClientMessage.js';
import type { SocketAnswer, SocketOperationSource } from './runSocketOperation.js';
import type { Logger } from '../../common/createLogger.js';

/** Runs one operation of a connection (runSocketOperation, bound to the gateway's Apollo Server and pipeline). */
export type RunOperation = (source: SocketOperationSource, payload: SubscribePayload, signal: AbortSignal) => Promise<SocketAnswer>;

export interface ConnectionOptions {
  runOperation: RunOperation;
  authenticator: Authenticator;
  logger: Logger;
  settings: WebSocketConfig;
  /** `limits`: each message's JSON is measured against them before it is parsed. */
  limits: JsonLimits;
  formatError: FormatError;
  /** Told each time an operation starts (+1) or ends (-1), for the metrics. */
  onOperations(delta: number): void;
}

export interface ServedConnection {
  /** Ends every operation and closes the socket with `code`; resolves once it is closed. */
  shutdown(code: number, reason: string, why: CloseReason): Promise<void>;
  /** Drops the connection without a closing handshake (a peer that does not answer one). */
  terminate(): void;
  /** Resolves with why it closed, once it has. */
  closed: Promise<CloseReason>;
}

interface Operation {
  readonly abort: AbortController;
  stream: ResultStream | undefined;
}

// A client that lets this much pile up unread is dropped (1008): the gateway holds no more for it.
const MAX_BUFFERED_BYTES = 4 * 2 ** 20;

/**
 * One `graphql-transport-ws` connection (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md),
 * once upgraded. `connection_init` within `connectionInitTimeoutMs` authenticates it (a token in
 * its payload's `Authorization`, else the upgrade's header or cookie): refused, the socket
 * closes with 4403; the token's expiry ends every operation with `UNAUTHENTICATED` and closes
 * with 4403 too, which `graphql-ws` clients retry (with fresh `connectionParams`). Each
 * `subscribe` runs through the whole request path (runSocketOperation); operation ids live in a
 * Map and are bounded; `complete` ends a stream with `return()`. Pings every `pingIntervalMs`
 * drop dead peers; `idleTimeoutMs` closes a connection with nothing to do.
 */
export function serveConnection(socket: WebSocket, upgrade: IncomingMessage, clientAddress: string, options: ConnectionOptions): ServedConnection {
  const { settings, logger } = options;
  // Read here, not kept: an idle connection holds no part of its upgrade request but these.
  const baseHeaders = operationHeaders(upgrade.headers);
  const peerAddress = upgrade.socket.remoteAddress;
  let source: SocketOperationSource = { peerAddress, headers: baseHeaders, clientAddress };
  const operations = new Map<string, Operation>();
  let running = 0;
  let initReceived = false;
  let acknowledged = false;
  let why: CloseReason | undefined;
  let alive = true;

  // `text` makes the message's JSON; a message that cannot be serialised goes out as an internal error.
  const sendText = (text: () => string, id: string | undefined): void => {
    if (socket.readyState !== socket.OPEN) return;
    let message: string;
    try {
      message = text();
    } catch (error) {
      logger.error({ err: error }, 'a WebSocket message could not be serialised');
      message = JSON.stringify({ ...(id === undefined ? {} : { id }), type: 'error', payload: [internalError()] });
    }
    socket.send(message);
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) close(SocketClose.tooSlow, 'The client reads its messages too slowly', 'too_slow');
  };
  const send = (message: { id?: string; type: string; payload?: unknown }): void => sendText(() => JSON.stringify(message), message.id);

  const endOperation = (id: string, operation: Operation): void => {
    if (operations.get(id) === operation) operations.delete(id);
    operation.abort.abort();
    void endStream(operation.stream);
  };
  const endAll = (): void => {
    for (const [id, operation] of operations) endOperation(id, operation);
  };

  const close = (code: number, reason: string, reasonWhy: CloseReason): void => {
    if (why !== undefined) return;
    why = reasonWhy;
    endAll();
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, closeReason(reason));
  };

  const initTimer = setTimeout(
    () =>
      afterPendingReads(() => {
        if (!initReceived) close(SocketClose.initTimeout, 'Connection initialisation timeout', 'init_timeout');
      }),
    settings.connectionInitTimeoutMs,
  );
  const idleTimer = setTimeout(function idle() {
    if (running > 0) idleTimer.refresh();
    else close(SocketClose.idle, `Idle for ${settings.idleTimeoutMs} ms (server.websocket.idleTimeoutMs)`, 'idle');
  }, settings.idleTimeoutMs);
  const ping = () => {
    alive = false;
    socket.ping();
  };
  const heartbeat = setInterval(() => {
    if (alive) return ping();
    afterPendingReads(() => {
      if (alive) return ping();
      why ??= 'heartbeat';
      endAll();
      socket.terminate();
    });
  }, settings.pingIntervalMs);
  let expiryTimer: NodeJS.Timeout | undefined;
  for (const timer of [initTimer, idleTimer, heartbeat]) timer.unref();

  const armExpiry = (viewer: Viewer | null): void => {
    expiryTimer = whenTokenExpires(viewer, () => {
      const expired = { message: 'The token expired; reconnect with a fresh one', extensions: { code: ErrorCode.UNAUTHENTICATED } };
      for (const id of operations.keys()) send({ id, type: 'error', payload: [expired] });
      close(SocketClose.forbidden, 'Token expired: reconnect with a fresh token', 'token_expired');
    });
  };

  const initialise = async (payload: Record<string, unknown> | null): Promise<void> => {
    if (initReceived) return close(SocketClose.tooManyInits, 'Too many initialisation requests', 'bad_request');
    initReceived = true;
    clearTimeout(initTimer);
    const token = payload === null ? undefined : (payload.Authorization ?? payload.authorization);
    if (token !== undefined && typeof token !== 'string') {
      return close(SocketClose.forbidden, 'connection_init: Authorization must be a string "Bearer <token>"', 'forbidden');
    }
    const headers = token === undefined ? baseHeaders : { ...baseHeaders, authorization: token };
    let viewer: Viewer | null;
    try {
      viewer = await options.authenticator.authenticate(headers);
    } catch (error) {
      if (!(error instanceof HttpError)) logger.error({ err: error }, 'unexpected error authenticating a WebSocket connection');
      return close(SocketClose.forbidden, error instanceof HttpError ? error.message : 'Forbidden', 'forbidden');
    }
    if (why !== undefined) return;
    // Every operation on the connection is run with this token: each is authenticated with it again.
    source = { peerAddress, headers, clientAddress };
    acknowledged = true;
    send({ type: 'connection_ack' });
    armExpiry(viewer);
  };

  const run = async (id: string, payload: SubscribePayload): Promise<void> => {
    const operation: Operation = { abort: new AbortController(), stream: undefined };
    operations.set(id, operation);
    running += 1;
    options.onOperations(1);
    const ours = () => operations.get(id) === operation && why === undefined;
    try {
      const answer = await options.runOperation(source, payload, operation.abort.signal);
      if (answer.kind === 'gone') return;
      if (!ours()) {
        if (answer.kind === 'result') await endStream(answer.stream);
        return;
      }
      if (answer.kind === 'error') {
        send({ id, type: 'error', payload: answer.errors });
        return;
      }
      if (answer.first) send({ id, type: 'next', payload: answer.first });
      if (answer.stream) {
        operation.stream = answer.stream;
        for await (const item of iteratorOf(answer.stream)) {
          if (!ours()) break;
          // The event's payload is serialised once for every client of it; only the id is this client's.
          const stream = answer.stream;
          sendText(() => nextMessage(id, serializeStreamItem(stream, item, options.formatError)), id);
        }
      }
      if (ours()) send({ id, type: 'complete' });
    } catch (error) {
      logger.error({ err: error }, 'a WebSocket operation failed');
      if (ours()) send({ id, type: 'error', payload: [internalError()] });
    } finally {
      // Ended here whichever way the loop left (an item that failed does not end it): what it holds upstream is freed.
      await endStream(operation.stream);
      if (operations.get(id) === operation) operations.delete(id);
      running -= 1;
      options.onOperations(-1);
    }
  };

  // A rejection nobody handles would end the process: a bug here closes this connection only.
  const fail = (error: unknown): void => {
    try {
      logger.error({ err: error }, 'unexpected error serving a WebSocket connection');
    } catch {
      // The logger itself failed: the close below is all that is left to do.
    }
    close(SocketClose.internalError, 'Internal server error', 'internal_error');
  };

  const receive = (message: ClientMessage): void => {
    switch (message.type) {
      case 'connection_init':
        initialise(message.payload).catch(fail);
        return;
      case 'ping':
        send({ type: 'pong' });
        return;
      case 'pong':
        return;
      case 'subscribe': {
        if (!acknowledged) {
          close(SocketClose.unauthorized, 'Unauthorized: send connection_init and wait for connection_ack', 'bad_request');
          return;
        }
        if (operations.has(message.id)) {
          close(SocketClose.subscriberExists, `Subscriber for ${message.id} already exists`, 'bad_request');
          return;
        }
        if (running >= settings.maxSubscriptionsPerConnection) {
          send({ id: message.id, type: 'error', payload: [tooManyOperations(settings.maxSubscriptionsPerConnection)] });
          return;
        }
        run(message.id, message.payload).catch(fail);
        return;
      }
      case 'complete': {
        const operation = operations.get(message.id);
        if (operation) endOperation(message.id, operation);
        return;
      }
      default: {
        const unknown: never = message;
        throw new Error(`unhandled message ${String(unknown)}`);
      }
    }
  };

  socket.on('message', (data: RawData) => {
    alive = true;
    idleTimer.refresh();
    if (why !== undefined) return;
    let message: ClientMessage;
    try {
      message = parseClientMessage(rawDataBytes(data), options.limits);
    } catch (error) {
      const reason = error instanceof InvalidMessage || error instanceof HttpError ? error.message : 'Invalid message';
      return close(SocketClose.badRequest, reason, 'bad_request');
    }
    receive(message);
  });
  socket.on('pong', () => {
    alive = true;
  });
  // `ws` reports a protocol error (a frame too large, bad UTF-8) here, then closes the socket itself.
  socket.on('error', (error: Error & { code?: string }) => {
    why ??= error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'message_too_big' : 'bad_request';
  });
  const closed = new Promise<CloseReason>((resolve) => {
    socket.once('close', () => {
      clearTimeout(initTimer);
      clearTimeout(idleTimer);
      clearInterval(heartbeat);
      clearTimeout(expiryTimer);
      why ??= 'client';
      endAll();
      resolve(why);
    });
  });

  return {
    closed,
    terminate: () => socket.terminate(),
    async shutdown(code, reason, reasonWhy) {
      close(code, reason, reasonWhy);
      await closed;
    },
  };
}
