import { createLogger } from '../../common/createLogger.js';
import { generateDemoData } from '../data/generateDemoData.js';
import { bindGrpc, shutdownGrpc } from '../entry/bindGrpc.js';
import { runBackend } from '../entry/runBackend.js';
import { createInventoryServer } from './server.js';

// Entry point of the inventory backend: PORT (default 50052) and HOST (default 0.0.0.0).
const logger = createLogger({ name: 'inventory' });
const server = createInventoryServer({ stock: generateDemoData().stock, logger });

await runBackend({
  name: 'inventory',
  defaultPort: 50052,
  protocol: 'grpc',
  logger,
  listen: (port, host) => bindGrpc(server, port, host),
  close: () => shutdownGrpc(server),
});
