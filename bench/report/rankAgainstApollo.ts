import type { GatewayRun } from './BenchResults.js';

/**
 * Sets each right run's requests per second over vanilla Apollo Gateway's. Apollo Gateway has
 * no de-duplication and runs once, so its run is the baseline of both modes. Wrong or failed
 * runs get no ratio; without a right Apollo Gateway run nothing does.
 */
export function rankAgainstApollo(runs: readonly GatewayRun[]): GatewayRun[] {
  const baseline = runs.find((run) => run.gateway === 'apollo-gateway' && run.outcome === 'ok')?.requestsPerSecond;
  return runs.map((run) =>
    run.outcome === 'ok' && baseline !== undefined && baseline > 0 && run.requestsPerSecond !== undefined
      ? { ...run, vsApolloGateway: run.requestsPerSecond / baseline }
      : run,
  );
}
