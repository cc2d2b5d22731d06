/** A server the tests start in process: the gateway's or a subgraph's. */
export interface StoppableServer {
  httpServer: { closeIdleConnections(): void };
  stop(): Promise<void>;
}

/**
 * Stops a gateway or subgraph server started by a test, first closing the keep-alive
 * connections that carry no request. Their drain (`common/http/createHttpDrain.ts`) leaves idle
 * connections for the client to close, as it must in production; the client here is the test's
 * own `fetch`, which closes them only past the keep-alive timeout the server announced: about
 * 3 s of every teardown, most of many files' time. A request still in flight is not idle, so
 * it is drained as usual. Tests of the drain itself call `stop()` directly.
 */
export async function stopServer(server: StoppableServer): Promise<void> {
  server.httpServer.closeIdleConnections();
  await server.stop();
}
