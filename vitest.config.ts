import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Node gives every importer graphql's CommonJS build (graphql 16 has no "exports" map), while
// Vite would give our own files its ES build: two GraphQLError classes, and errors that fail
// Apollo's `instanceof` checks only under test. Resolve it the way Node does.
const resolve = { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] };

// Unit tests (`*.test.ts`) run in-process; end-to-end tests (`*.e2e.ts`) start real
// servers and processes on port 0, so they get longer timeouts and run one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
