// Hive Gateway's config where subscriptions and @defer are compared with Portico's
// (test/federation/streamingDifferential.e2e.ts, `npm run bench -- --only subscriptions`).
// Hive reaches subgraphs' subscriptions over HTTP (SSE) unless told otherwise; Portico's default
// upstream transport is graphql-transport-ws, so Hive is told to use it too: the same protocol on
// both sides of the comparison. `deferStream` turns on its (experimental) @defer support.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  deferStream: true,
  transportEntries: {
    '*.http': { options: { subscriptions: { kind: 'ws' } } },
  },
});
