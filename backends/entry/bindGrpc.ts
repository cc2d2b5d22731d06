import * as grpc from '@grpc/grpc-js';

/** Binds without TLS (a demo backend on a private network) and resolves with the bound port. */
export function bindGrpc(server: grpc.Server, port: number, host: string): Promise<number> {
  // An IPv6 host needs brackets in a gRPC address.
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(error);
      else resolve(boundPort);
    });
  });
}

/**
 * Lets calls in flight finish, then stops; after `forceAfterMs` cancels whatever is left, so
 * a client holding a stream open cannot block exit.
 */
export function shutdownGrpc(server: grpc.Server, forceAfterMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, forceAfterMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
