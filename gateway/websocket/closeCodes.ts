/**
 * The close codes the gateway's WebSocket transport sends: `graphql-transport-ws`'s own
 * (the `graphql-ws` library's `CloseCode`), WebSocket's, and one of Portico's in the range
 * RFC 6455 leaves to applications. Every close carries a reason that says what to do.
 */
export const SocketClose = {
  /** The gateway is stopping (SIGTERM): reconnect, to another replica. */
  goingAway: 1001,
  /** A message larger than `server.websocket.maxMessageBytes` (sent by `ws` itself). */
  messageTooBig: 1009,
  /** The client reads its messages too slowly: the gateway will not hold them for it. */
  tooSlow: 1008,
  /** No operation and no message for `server.websocket.idleTimeoutMs`. */
  idle: 4000,
  /** A message that is not one of the protocol's (or not JSON within `limits`). */
  badRequest: 4400,
  /** `subscribe` before the connection was acknowledged. */
  unauthorized: 4401,
  /** The token was refused at `connection_init`, or it expired: reconnect with a fresh one. */
  forbidden: 4403,
  /** No `connection_init` within `server.websocket.connectionInitTimeoutMs`. */
  initTimeout: 4408,
  /** A `subscribe` whose id is already running on this connection. */
  subscriberExists: 4409,
  /** A second `connection_init`. */
  tooManyInits: 4429,
  /** A bug of the gateway's (logged). */
  internalError: 4500,
} as const;

/** Why a connection ended, as `portico_subscription_connection_closes_total` counts it: a fixed set. */
export type CloseReason =
  | 'client'
  | 'going_away'
  | 'idle'
  | 'init_timeout'
  | 'heartbeat'
  | 'bad_request'
  | 'forbidden'
  | 'token_expired'
  | 'too_slow'
  | 'message_too_big'
  | 'internal_error';

// RFC 6455 §5.5: a close frame's payload is at most 125 bytes, 2 of them the code.
const MAX_REASON_BYTES = 123;

/** A close reason cut to what a close frame carries (it may quote the client). */
export function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= MAX_REASON_BYTES) return text;
  let cut = text.slice(0, MAX_REASON_BYTES);
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES - 3) cut = cut.slice(0, -1);
  return `${cut}...`;
}
