import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * `server.listen` as a promise that rejects on EADDRINUSE and friends. `backlog`
 * (`server.listenBacklog`) is the kernel's queue of connections not yet accepted; undefined: Node's 511.
 */
export function listen(server: http.Server | https.Server, port: number, host: string, backlog?: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ port, host, ...(backlog === undefined ? {} : { backlog }) }, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
