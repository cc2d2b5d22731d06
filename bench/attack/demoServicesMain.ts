// The demo backends and subgraphs as a process of their own, for the "under attack" scenario of
// `npm run bench` (on the load generator's CPU, whose affinity it inherits). Subgraphs verify the
// gateway's signature with the test signing secret, as in production (with BENCH_UNSIGNED=true
// they also accept unsigned requests, for the subscription scenario's Hive Gateway). Tells its parent the URLs
// over IPC; stops with the parent.
import { startDemoBackends } from '../../test/support/startDemoBackends.js';
import { startSubgraphs } from '../../test/support/startSubgraphs.js';
import type { DemoServicesMessage } from './spawnDemoServices.js';

const backends = await startDemoBackends();
// BENCH_OPERATIONS_PER_CONNECTION: operations a subgraph runs on one WebSocket (a gateway that
// multiplexes every client's subscription upstream on one connection needs as many as there are clients).
const operationsPerConnection = Number(process.env.BENCH_OPERATIONS_PER_CONNECTION ?? 0);
const subgraphs = await startSubgraphs(backends, {
  development: false,
  requireSignature: process.env.BENCH_UNSIGNED !== 'true',
  ...(operationsPerConnection > 0 ? { streaming: { maxOperationsPerConnection: operationsPerConnection } } : {}),
});
const stop = () =>
  void subgraphs
    .close()
    .then(() => backends.close())
    .then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
const message: DemoServicesMessage = { type: 'bench:demo-services', urls: subgraphs.urls };
process.send?.(message);
