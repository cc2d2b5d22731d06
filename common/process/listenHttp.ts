import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** Starts listening and resolves with the port actually bound (the point of asking for 0). */
export async function listenHttp(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  return (server.address() as AddressInfo).port;
}

/**
 * Stops accepting connections and waits for requests in flight. Idle keep-alive connections are
 * closed at once; busy ones are cut after `forceAfterMs` so a stuck client cannot block exit.
 */
export function closeHttp(server: Server, forceAfterMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), forceAfterMs);
    server.close((error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
