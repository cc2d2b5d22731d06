import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '../../common/errorCodes.js';
import { HttpError } from '../../common/http/HttpError.js';

/** The subprotocol of the `graphql-ws` library, the one the gateway speaks. */
export const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';
/** The subprotocol of the retired `subscriptions-transport-ws` library (confusingly, `graphql-ws`). */
const LEGACY_SUBPROTOCOL = 'graphql-ws';

/**
 * Refuses, with an `HttpError`, an upgrade request that is not a WebSocket handshake for
 * `graphql-transport-ws`: before any WebSocket work, and with a message that says what to send.
 */
export function checkUpgrade(req: IncomingMessage): void {
  if (req.method !== 'GET') {
    throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, `A WebSocket handshake is a GET, not ${String(req.method).slice(0, 16)}`, { allow: 'GET' });
  }
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    throw new HttpError(ErrorCode.BAD_REQUEST, 'The GraphQL path upgrades to WebSocket only ("Upgrade: websocket")');
  }
  const offered = (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (offered.includes(GRAPHQL_TRANSPORT_WS)) return;
  if (offered.includes(LEGACY_SUBPROTOCOL)) {
    throw new HttpError(
      ErrorCode.BAD_REQUEST,
      `The subprotocol "graphql-ws" of the retired subscriptions-transport-ws library is not supported: use the graphql-ws library, whose subprotocol is "${GRAPHQL_TRANSPORT_WS}"`,
    );
  }
  throw new HttpError(
    ErrorCode.BAD_REQUEST,
    `GraphQL over WebSocket needs the subprotocol "${GRAPHQL_TRANSPORT_WS}" (Sec-WebSocket-Protocol), as the graphql-ws library sends it`,
  );
}
