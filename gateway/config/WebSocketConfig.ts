import { Type, type StaticDecode } from 'typebox';
import { positive, section } from './configOptions.js';

/** GraphQL over WebSocket (`graphql-transport-ws`) on `server.graphqlPath`: its limits and timers. */
export const webSocketConfigSchema = section({
  enabled: Type.Boolean({
    default: true,
    description:
      'Accept WebSocket upgrades (subprotocol `graphql-transport-ws`, the `graphql-ws` library) on `server.graphqlPath`, for subscriptions and any other operation. See [WebSocket](#websocket).',
  }),
  maxConnections: positive(10_000, { description: 'Open WebSocket connections in all; one more upgrade gets 503 `OVERLOADED`.' }),
  maxConnectionsPerAddress: positive(100, {
    description: 'Open WebSocket connections from one client address (through `rateLimit.trustedProxies`); one more upgrade gets 429 `RATE_LIMITED`.',
  }),
  maxSubscriptionsPerConnection: positive(100, {
    description: 'Operations running at once on one connection; one more `subscribe` gets an `error` message with `RATE_LIMITED` (the connection stays open).',
  }),
  maxMessageBytes: positive(131_072, {
    defaultNote: '128 KiB',
    description:
      'The largest message a client may send (a document within `limits.maxDocumentBytes` and variables within `limits.maxVariablesBytes` fit), checked by its frame header before it is read: the socket closes with 1009.',
  }),
  connectionInitTimeoutMs: positive(5000, {
    description: 'How long a client has to send `connection_init` after the upgrade; past it the socket closes with 4408.',
  }),
  pingIntervalMs: positive(15_000, {
    description: 'The gateway pings every connection this often; one that has not answered the previous ping by the next is dropped without a close handshake.',
  }),
  idleTimeoutMs: positive(300_000, {
    description: 'A connection with no operation running and no message from the client for this long is closed with 4000 `idle`.',
  }),
});

export type WebSocketConfig = StaticDecode<typeof webSocketConfigSchema>;
