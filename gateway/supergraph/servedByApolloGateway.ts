import type { Supergraph } from '@apollo/federation-internals';
import type { ApolloGateway } from '@apollo/gateway';
import type { QueryPlanner } from '@apollo/query-planner';
import { GraphQLSchema } from 'graphql';

/** What Apollo Gateway built from the supergraph it loaded last. */
export interface ServedByApolloGateway {
  /** Apollo Gateway's query planner: the only one the gateway builds. */
  planner: QueryPlanner;
  /** The supergraph it plans over (federation's schema objects, parsed once, by Apollo Gateway). */
  supergraph: Supergraph;
  /** The same supergraph as a graphql-js schema (directives and all), which Apollo Gateway builds for its own executor. */
  supergraphSchema: GraphQLSchema;
}

/**
 * Apollo Gateway's planner and supergraph, as they are when its `onSchemaLoadOrUpdate` listeners
 * run (it sets them just before). Apollo Gateway has no public getter for them: the planner comes
 * from `__testing()`, the graphql-js supergraph from a private field. Both have held since
 * @apollo/gateway 2.0; `test/gateway/supergraph/servedByApolloGateway.test.ts` fails on an upgrade
 * that moves them, and this throws, rather than let a second planner be built in their place.
 */
export function servedByApolloGateway(gateway: ApolloGateway): ServedByApolloGateway {
  const planner = gateway.__testing().queryPlanner;
  const supergraphSchema = (gateway as unknown as { supergraphSchema?: unknown }).supergraphSchema;
  if (!planner || !(supergraphSchema instanceof GraphQLSchema)) {
    throw new Error('Apollo Gateway has no query planner or supergraph schema where Portico reads them: has @apollo/gateway changed?');
  }
  return { planner, supergraph: planner.supergraph, supergraphSchema };
}
