import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The end-to-end files that take longest (measured on two cores: CI, and a full run on
 * 2026-12-06, docs/performance.md), longest first. Vitest
 * starts a run's files longest first only when its cache holds their last durations; a fresh
 * clone (CI) has no cache, so it would start them in path order, and a long file that happens to
 * start last keeps one core busy alone at the end. A file missing here only starts in the
 * default order; a file listed that is gone changes nothing.
 */
export const slowestFiles = [
  'test/cli/dev.e2e.ts',
  'test/cli/subgraph.e2e.ts',
  'test/browser/explorer.e2e.ts',
  'test/bench/subscriptionScenario.e2e.ts',
  'test/gateway/gatewayWorkers.e2e.ts',
  'test/hostile/defer.e2e.ts',
  'test/browser/webClient.e2e.ts',
  'test/fleet/fleet.e2e.ts',
  'test/hostile/addressConcurrency.e2e.ts',
  'test/gateway/subscriptions/subscriptions.e2e.ts',
  'test/hostile/traffic.e2e.ts',
  'test/hostile/operationRecording.e2e.ts',
  'test/cli/devKilled.e2e.ts',
  'test/backends/entries.e2e.ts',
  'test/hostile/authentication.e2e.ts',
  'test/hostile/operations.e2e.ts',
  'test/hostile/websocket.e2e.ts',
  'test/hostile/subscriptionFanOut.e2e.ts',
  'test/hostile/subscriptions.e2e.ts',
  'test/hostile/streamCounts.e2e.ts',
  'test/hostile/subgraphEvents.e2e.ts',
  'test/gateway/gatewayCommand.e2e.ts',
  'test/hostile/upstream.e2e.ts',
  'test/gateway/runtime/limitHeapGrowth.e2e.ts',
  'test/gateway/gatewayShutdown.e2e.ts',
];

/**
 * Vitest's own order (groups, then its cache's durations, longest first), except that the files
 * of `slowestFiles` start first within their group, in that order: so a fresh clone starts them
 * first too, and the two cores stay busy to the end with the many short files.
 */
export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const index = slowestFiles.indexOf(relative(file.project.config.root, file.moduleId));
      return index === -1 ? slowestFiles.length : index;
    };
    const group = (file: TestSpecification): number => file.project.config.sequence.groupOrder;
    // Array.prototype.sort is stable: the rest keep Vitest's order.
    return sorted.sort((a, b) => group(a) - group(b) || rank(a) - rank(b));
  }
}
