import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { SlowestFirst } from './test/support/SlowestFirst.js';

// End-to-end files that must have the machine to themselves: they hold the event loop's delay
// to a bound, so a neighbour's load would change what they observe. They run after everything
// else, one at a time. (Slow connections and drains against the gateway's timeouts ran here too,
// until their windows allowed for a loaded machine and the cluster drain stopped losing a
// connection under load: hostile/edge.e2e.ts and hostile/lifecycle.e2e.ts.) A file that only starts many processes, or a browser, is no reason to be here: it waits
// on them beside the others (its timeouts allow for a loaded machine), and running it alone
// would leave the second core idle while it waits.
// In-process files that must have a module registry, or a V8 heap, of their own (see the unit-isolated project).
const isolatedUnits = [
  'test/gateway/config/builtConfigValidator.test.ts',
  'test/gateway/createNameInterner.test.ts',
  'test/gateway/supergraph/readSupergraph.test.ts', // mocks node:fs/promises (a hung mount) for the module it imports
];
const serialEndToEnd = [
  'test/gateway/admission.e2e.ts', // `maxConcurrent: auto` follows this process's event-loop delay
];

// Unit tests (`*.test.ts`) run in-process; end-to-end tests (`*.e2e.ts`) start real servers
// and processes on port 0 (never a fixed port, files in a temporary directory, never in the
// repository), so files run side by side: most of their time is spent waiting on sockets and
// child processes. Workers: one more than the two cores of CI, for that waiting.
const workers = 3;

for (const file of serialEndToEnd) {
  // A file moved away would silently leave the serial group and run beside the others.
  if (!existsSync(file)) throw new Error(`vitest.config.ts: ${file} (in serialEndToEnd) does not exist`);
}

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
    // The longest end-to-end files start first, on a fresh clone too (no cache of durations).
    sequence: { sequencer: SlowestFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: isolatedUnits,
          // In-process tests of modules that keep no state between files (and restore what they
          // change: timers, spies, the environment), so each worker loads the modules once for all
          // its files: loading @apollo/gateway, graphql and the gateway's modules again for every
          // file was most of this project's time.
          isolate: false,
          testTimeout: 10_000,
          maxWorkers: workers,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          // Files that load another test file's cases under a mock (the built config validator
          // runs loadGatewayConfig's suite again): with a worker's module cache shared, that
          // file could already be loaded, and its cases would silently not run a second time.
          // And files about V8's string table (the name interner: whether federation's names come
          // out two-byte depends on which copy of each piece V8 interned first), which another
          // file in the same process can change: it failed in one of five full runs on 2026-12-07.
          name: 'unit-isolated',
          include: isolatedUnits,
          isolate: true,
          testTimeout: 10_000,
          maxWorkers: workers,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.ts'],
          exclude: serialEndToEnd,
          // Each file starts its own servers and processes on port 0 and closes them; what they
          // share through the worker's loaded modules is read-only, or keyed by the test (the
          // slow fields' tags). Loading the gateway's modules once per worker rather than once per
          // file saves about 2 s of CPU per file.
          isolate: false,
          testTimeout: 60_000,
          // Starting a stack and a gateway process while other files do the same takes longer.
          hookTimeout: 120_000,
          maxWorkers: workers,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-serial',
          include: serialEndToEnd,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
