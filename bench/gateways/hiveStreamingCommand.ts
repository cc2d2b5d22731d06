import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GatewayCommand } from './startGatewayProcess.js';

const require = createRequire(import.meta.url);
const hiveBin = join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist/bin.js');

/**
 * Hive Gateway serving `supergraphFile` on 127.0.0.1:`port` with subscriptions to subgraphs over
 * graphql-transport-ws and @defer on (`hive/streaming.config.ts`); its clients' WebSocket
 * endpoint is on by default, on the GraphQL path.
 */
export function hiveStreamingCommand(supergraphFile: string, port: number): GatewayCommand {
  return {
    args: [
      hiveBin,
      'supergraph',
      supergraphFile,
      '--config-path',
      fileURLToPath(new URL('./hive/streaming.config.ts', import.meta.url)),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
  };
}
