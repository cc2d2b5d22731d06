import { defineConfig } from 'vitest/config';

// Unit tests (`*.test.ts`) run in-process; end-to-end tests (`*.e2e.ts`) start real
// servers and processes on port 0, so they get longer timeouts and run one file at a time.
export default defineConfig({
  // Node resolves `graphql` to its CommonJS build, as Apollo's packages (loaded by Node) do;
  // Vite would pick the ES build for our sources, and two graphql instances reject each
  // other's schema objects. Resolve it the way Node does.
  resolve: {
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    // Processes the tests start run the compiled code (bin/portico.js, dist/): build it first.
    globalSetup: ['test/support/buildBeforeTests.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
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
