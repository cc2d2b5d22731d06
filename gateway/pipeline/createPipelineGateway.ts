import type { ApolloGateway } from '@apollo/gateway';
import type { OperationExecutor } from './Feature.js';

/**
 * The gateway as Apollo Server sees it: `inner` loads, checks and reloads the supergraph, and
 * every operation runs through `execute` (Portico's executor inside the features' `execute`
 * hooks, see `Pipeline.execute`) instead of Apollo Gateway's own.
 */
export function createPipelineGateway(inner: ApolloGateway, execute: OperationExecutor) {
  return {
    async load(loadOptions: Parameters<ApolloGateway['load']>[0]): Promise<Awaited<ReturnType<ApolloGateway['load']>>> {
      const loaded = await inner.load(loadOptions);
      return { ...loaded, executor: execute };
    },
    onSchemaLoadOrUpdate: inner.onSchemaLoadOrUpdate.bind(inner),
    stop: () => inner.stop(),
  };
}
