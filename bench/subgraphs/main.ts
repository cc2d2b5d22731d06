// The bench subgraphs as a process of their own, as `npm run bench` starts them (on the load
// generator's CPU, whose affinity it inherits). Tells its parent the URLs over IPC; stops with
// the parent.
import type { BenchSubgraphsMessage } from './spawnBenchSubgraphs.js';
import { startBenchSubgraphs } from './startBenchSubgraphs.js';

const subgraphs = await startBenchSubgraphs();
const stop = () => void subgraphs.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
const message: BenchSubgraphsMessage = { type: 'bench:subgraphs', urls: subgraphs.urls };
process.send?.(message);
