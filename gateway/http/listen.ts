import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';

/** `server.listen` as a promise that rejects on EADDRINUSE and friends. */
export function listen(server: http.Server | https.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
