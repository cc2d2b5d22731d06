// Vanilla Apollo Gateway, as its docs set it up: Apollo Server 5's standalone server and
// `new ApolloGateway({ supergraphSdl })`, every option at its default.
// Usage: node --import tsx bench/gateways/apolloGateway.ts SUPERGRAPH_FILE PORT
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const [supergraphFile, port] = process.argv.slice(2);
if (supergraphFile === undefined || port === undefined) throw new Error('usage: apolloGateway.ts SUPERGRAPH_FILE PORT');

const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: readFileSync(supergraphFile, 'utf8') }) });
const { url } = await startStandaloneServer(server, { listen: { port: Number(port), host: '127.0.0.1' } });
console.log(`Apollo Gateway at ${url}`);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
