import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BrokenSubgraph {
  url: string;
  stop(): Promise<void>;
}

/**
 * A subgraph address that answers every request with `status` and a body that is not a GraphQL
 * response, as a crashed service behind a proxy does.
 */
export async function startBrokenSubgraph(status: number, body: string): Promise<BrokenSubgraph> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(status, { 'content-type': 'text/plain' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
