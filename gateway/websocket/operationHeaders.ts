import type { IncomingHttpHeaders } from 'node:http';

// Headers of the upgrade that describe the WebSocket handshake, not the operations run on it.
const HANDSHAKE_HEADERS = [
  'upgrade',
  'connection',
  'content-length',
  'transfer-encoding',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
];

/** The upgrade's headers without the handshake's own: what each operation of the connection is run with. */
export function operationHeaders(upgradeHeaders: IncomingHttpHeaders): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = { ...upgradeHeaders };
  for (const name of HANDSHAKE_HEADERS) delete headers[name];
  return headers;
}
