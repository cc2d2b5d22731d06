import { createLogger } from '../../common/createLogger.js';
import { generateDemoData } from '../data/generateDemoData.js';
import { closeHttp, listenHttp } from '../../common/process/listenHttp.js';
import { runBackend } from '../entry/runBackend.js';
import { createReviewsServer } from './server.js';

// Entry point of the reviews backend: PORT (default 5002) and HOST (default 0.0.0.0).
const logger = createLogger({ name: 'reviews' });
const server = createReviewsServer({ reviews: generateDemoData().reviews, logger });

await runBackend({
  name: 'reviews',
  defaultPort: 5002,
  protocol: 'http',
  logger,
  listen: (port, host) => listenHttp(server, port, host),
  close: () => closeHttp(server),
});
