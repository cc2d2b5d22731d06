import { defineConfig } from 'vitest/config';

// Unit tests (`*.test.ts`) run in-process; end-to-end tests (`*.e2e.ts`) start real
// servers and processes on port 0, so they get longer timeouts and run one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
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
