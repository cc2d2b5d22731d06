import net from 'node:net';
import type { Target } from './startTarget.js';

export interface SlowConnection {
  /** Everything the gateway wrote back on this connection. */
  reply(): string;
  /** Resolves once the gateway (or the client) has closed the connection. */
  closed: Promise<void>;
}

export interface SlowConnections {
  connections: SlowConnection[];
  /** Stops every sender and closes every connection still open. */
  close(): void;
}

/**
 * Opens `count` raw TCP connections to the target, each sending `head` at once and then one
 * byte of `trickle` every `intervalMs`: a slow-body (or, with a partial head, slow-headers)
 * attack, on real sockets, since no HTTP client sends this slowly.
 */
export async function openSlowConnections(target: Target, count: number, head: string, intervalMs: number, trickle = 'x'): Promise<SlowConnections> {
  const port = Number(new URL(target.origin).port);
  const sockets: net.Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  const connections = await Promise.all(
    Array.from({ length: count }, async () => {
      const socket = net.connect(port, '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => {}); // a reset by the gateway is an answer too
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      socket.write(head);
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || socket.writableEnded) return clearInterval(timer);
        socket.write(trickle[sent % trickle.length]!);
        sent += 1;
      }, intervalMs);
      timers.push(timer);
      void closed.then(() => clearInterval(timer));
      return { reply: () => received, closed };
    }),
  );
  return {
    connections,
    close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
}
