import type { ApolloGateway } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { SupergraphSnapshot } from '../supergraph/SupergraphSnapshot.js';
import { withDeferDirective } from '../supergraph/withDeferDirective.js';
import type { OperationExecutor } from './Feature.js';

/**
 * The gateway as Apollo Server sees it: `inner` loads, checks and reloads the supergraph, and
 * every operation runs through `execute` (Portico's executor inside the features' `execute`
 * hooks, see `Pipeline.execute`) instead of Apollo Gateway's own, against the snapshot of the
 * schema Apollo Server validated it against (`snapshotOf`). Apollo Server gets the API schema
 * with `@defer` (see withDeferDirective).
 */
export function createPipelineGateway(inner: ApolloGateway, execute: OperationExecutor, snapshotOf: (schema: GraphQLSchema) => SupergraphSnapshot) {
  return {
    async load(loadOptions: Parameters<ApolloGateway['load']>[0]): Promise<Awaited<ReturnType<ApolloGateway['load']>>> {
      const loaded = await inner.load(loadOptions);
      return { ...loaded, schema: withDeferDirective(loaded.schema), executor: (requestContext) => execute(requestContext, snapshotOf(requestContext.schema)) };
    },
    onSchemaLoadOrUpdate: (listener: Parameters<ApolloGateway['onSchemaLoadOrUpdate']>[0]) =>
      inner.onSchemaLoadOrUpdate((loaded) => listener({ ...loaded, apiSchema: withDeferDirective(loaded.apiSchema) })),
    stop: () => inner.stop(),
  };
}
