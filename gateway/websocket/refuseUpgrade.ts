import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { HttpError } from '../../common/http/HttpError.js';

/**
 * Answers an upgrade the gateway refuses with a plain HTTP response, as any other refusal of the
 * GraphQL path (a JSON body with `extensions.code`, the refusal's headers), and closes the
 * connection: no WebSocket work is done for it.
 */
export function refuseUpgrade(socket: Duplex, refusal: HttpError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(refusal.toBody());
  const headers: Record<string, string> = {
    ...refusal.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  try {
    socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\n${head}\r\n${body}`);
  } catch {
    socket.destroy();
  }
}
