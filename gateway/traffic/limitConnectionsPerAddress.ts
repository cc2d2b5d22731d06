import type { Server, Socket } from 'node:net';

export interface ConnectionLimitOptions {
  /** Most open connections per peer key (`rateLimit.perAddress.maxConnections`); 0: no cap. */
  maxPerAddress: number;
  /** A peer's key (IPv6 by /64), or null for a peer that is exempt (a trusted proxy). See createPeerKey. */
  keyOf(peer: string): string | null;
  /** Told of each connection closed at accept, with its peer key (see reportRefusedConnections). */
  onRefused?(key: string): void;
}

export interface ConnectionLimit {
  /** Open connections now counted for a peer key (for tests and diagnostics). */
  openFrom(key: string): number;
  /** Connections closed as they were accepted, since the start. */
  refused(): number;
}

/**
 * Caps the connections one client address holds open on `server`, at the socket: a connection
 * over the cap is destroyed as it is accepted, before TLS and before Node reads a byte of it, so an address that opens connection after connection costs an accept and a
 * close each, and however many it opens, at most `maxPerAddress` of them can send requests (or
 * hold bodies, or wait for answers). Counted on the TCP peer: no header has been read yet.
 */
export function limitConnectionsPerAddress(server: Server, options: ConnectionLimitOptions): ConnectionLimit {
  const open = new Map<string, number>();
  let refused = 0;
  if (options.maxPerAddress > 0) {
    // First of the `connection` listeners: before Node's own, which starts TLS or an HTTP parser.
    server.prependListener('connection', (socket: Socket) => {
      const key = socket.remoteAddress === undefined ? null : options.keyOf(socket.remoteAddress);
      if (key === null) return;
      const count = open.get(key) ?? 0;
      if (count >= options.maxPerAddress) {
        refused += 1;
        socket.destroy();
        options.onRefused?.(key);
        return;
      }
      open.set(key, count + 1);
      socket.once('close', () => {
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      });
    });
  }
  return { openFrom: (key) => open.get(key) ?? 0, refused: () => refused };
}
