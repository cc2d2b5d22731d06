import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Node loads graphql's CommonJS build (its package has no "exports"), and so does Apollo; Vite
// would give our own imports the ESM build, and graphql refuses a schema from the other copy.
const graphql = { resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] } };

// Unit tests (`*.test.ts`) run in-process; end-to-end tests (`*.e2e.ts`) start real
// servers and processes on port 0, so they get longer timeouts and run one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        ...graphql,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        ...graphql,
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
