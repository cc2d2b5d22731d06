import { createLogger } from '../../common/createLogger.js';
import { generateDemoData } from '../data/generateDemoData.js';
import { closeHttp, listenHttp } from '../../common/process/listenHttp.js';
import { runBackend } from '../entry/runBackend.js';
import { createUsersServer } from './server.js';

// Entry point of the users backend: PORT (default 5001) and HOST (default 0.0.0.0).
const logger = createLogger({ name: 'users' });
const server = createUsersServer({ users: generateDemoData().users, logger });

await runBackend({
  name: 'users',
  defaultPort: 5001,
  protocol: 'http',
  logger,
  listen: (port, host) => listenHttp(server, port, host),
  close: () => closeHttp(server),
});
