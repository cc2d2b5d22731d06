import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, longest first: every file of three seconds or more in two
 * fresh-clone CI runs on two cores (2026-12-07, the mean of the two). Vitest starts a run's files
 * longest first only when its cache holds their last durations; a fresh clone (CI) has no cache,
 * so it would start them in path order, and a long file that happens to start last keeps one core
 * busy alone at the end (a 7 s build test and 8–10 s end-to-end files did, in those runs). A file
 * missing here only starts in the default order, after these; a file listed that is gone changes
 * nothing.
 */
export const slowestFiles = [
  'test/cli/dev.e2e.ts',
  'test/bench/subscriptionScenario.e2e.ts',
  'test/gateway/gatewayWorkers.e2e.ts',
  'test/browser/explorer.e2e.ts',
  'test/browser/webClient.e2e.ts',
  'test/hostile/addressConcurrency.e2e.ts',
  'test/hostile/edge.e2e.ts',
  'test/fleet/fleet.e2e.ts',
  'test/gateway/subscriptions/subscriptions.e2e.ts',
  'test/hostile/workBudgets.e2e.ts',
  'test/backends/entries.e2e.ts',
  'test/hostile/authFailures.e2e.ts',
  'test/hostile/authentication.e2e.ts',
  'test/hostile/lifecycle.e2e.ts',
  'test/hostile/websocket.e2e.ts',
  'test/cli/devKilled.e2e.ts',
  'test/hostile/addressFlood.e2e.ts',
  'test/hostile/upstream.e2e.ts',
  'test/traffic/rateLimitRedis.e2e.ts',
  'test/hostile/clientRefusalHold.e2e.ts',
  'test/hostile/operations.e2e.ts',
  'test/gateway/runtime/heapGrowthAtStart.e2e.ts',
  'test/build/buildDist.test.ts',
  'test/hostile/subscriptions.e2e.ts',
  'test/hostile/subgraphEvents.e2e.ts',
  'test/gateway/listenBacklog.e2e.ts',
  'test/subgraphs/kit/grpcReconnect.e2e.ts',
  'test/subgraphs/subgraphShutdown.e2e.ts',
  'test/hostile/subscriptionFanOut.e2e.ts',
  'test/cli/subgraph.e2e.ts',
  'test/gateway/gatewayCommand.e2e.ts',
  'test/gateway/runtime/limitHeapGrowth.e2e.ts',
  'test/hostile/defer.e2e.ts',
  'test/gateway/streamingObservability.e2e.ts',
  'test/hostile/streamCounts.e2e.ts',
  'test/gateway/ratePacing.e2e.ts',
  'test/gateway/operationRecording.e2e.ts',
  'test/gateway/gatewayShutdown.e2e.ts',
  'test/hostile/operationRecording.e2e.ts',
  'test/traffic/redisSentinel.e2e.ts',
  'test/hostile/clusterListenerClose.e2e.ts',
  'test/subgraphs/entries.e2e.ts',
  'test/docs/streamingSnippets.e2e.ts',
  'test/hostile/ratePacing.e2e.ts',
  'test/hostile/sharedAnswers.e2e.ts',
  'test/hostile/traffic.e2e.ts',
  'test/gateway/websocket/webSocket.e2e.ts',
  'test/subgraphs/kit/subgraphReady.e2e.ts',
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
