import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

export interface RunningApolloGateway {
  /** `http://127.0.0.1:PORT`, no trailing slash; the standalone server answers on any path. */
  origin: string;
  stop(): Promise<void>;
}

/**
 * Vanilla Apollo Gateway, as a user would run it without Portico: Apollo Server standalone and
 * `new ApolloGateway({ supergraphSdl })`, every option at its default. The reference answers.
 */
export async function startApolloGateway(supergraphSdl: string): Promise<RunningApolloGateway> {
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { origin: url.replace(/\/$/, ''), stop: () => server.stop() };
}
