import { createLogger } from '../../common/createLogger.js';
import { generateDemoData } from '../data/generateDemoData.js';
import { bindGrpc, shutdownGrpc } from '../entry/bindGrpc.js';
import { runBackend } from '../entry/runBackend.js';
import { createCatalogServer } from './server.js';

// Entry point of the catalog backend: PORT (default 50051) and HOST (default 0.0.0.0).
const logger = createLogger({ name: 'catalog' });
const server = createCatalogServer({ products: generateDemoData().products, logger });

await runBackend({
  name: 'catalog',
  defaultPort: 50051,
  protocol: 'grpc',
  logger,
  listen: (port, host) => bindGrpc(server, port, host),
  close: () => shutdownGrpc(server),
});
