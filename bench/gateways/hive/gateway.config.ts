// Hive Gateway's config under `npm run bench` (`hive-gateway supergraph FILE -c this file`):
// its defaults, with its in-flight de-duplication of subgraph requests (on by default) turned
// off when BENCH_DEDUP=false.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  transportEntries: {
    '*.http': { options: { deduplicateInflightRequests: process.env.BENCH_DEDUP !== 'false' } },
  },
});
