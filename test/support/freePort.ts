import net from 'node:net';

/**
 * A loopback port the OS just handed out, for a process that must be told its port up front
 * (redis-server, HAProxy's config, a replacement replica). Another process may take it first:
 * where a server can listen on port 0 and say where it listens, that is better.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
