import type { ApolloGateway } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { SupergraphSnapshot } from './SupergraphSnapshot.js';
import { withDeferDirective } from './withDeferDirective.js';
import { servedByApolloGateway, type ServedByApolloGateway } from './servedByApolloGateway.js';

export interface ServedSupergraphOptions {
  /** The gateway whose loads are followed: its one `onSchemaLoadOrUpdate` listener is here. */
  gateway: ApolloGateway;
  /** Derives the snapshot from what Apollo Gateway loaded; throws when it cannot be served. */
  build: (served: ServedByApolloGateway, apiSchema: GraphQLSchema) => SupergraphSnapshot;
  /** Told of each snapshot swapped in, after the swap (the subgraph clients, readiness). */
  onSwap: (snapshot: SupergraphSnapshot) => void;
}

export interface ServedSupergraph {
  /** The snapshot being served: the one getter everything reads it through. Throws before the first one is built. */
  current(): SupergraphSnapshot;
  /**
   * The snapshot whose API schema is `schema`: the one Apollo Server parsed and validated a
   * request against (its `requestContext.schema`), so that the request is costed, authorized,
   * planned and run on that same supergraph whatever loads meanwhile. The current one for a
   * schema it never served.
   */
  of(schema: GraphQLSchema): SupergraphSnapshot;
  /**
   * Throws why the snapshot of Apollo Gateway's last load could not be built (the previous one
   * serves on), once; returns when it was built. Asked after each load by whoever loaded.
   */
  confirm(): void;
}

/**
 * The supergraph being served, as one immutable snapshot per load: built when Apollo Gateway has
 * loaded a supergraph, swapped in one assignment. A request keeps the one it was validated against.
 */
export function createServedSupergraph(options: ServedSupergraphOptions): ServedSupergraph {
  let snapshot: SupergraphSnapshot | undefined;
  let refused: unknown;
  // Apollo Server keeps the API schema it is handed as the request's schema: each one's snapshot.
  const byApiSchema = new WeakMap<GraphQLSchema, SupergraphSnapshot>();
  options.gateway.onSchemaLoadOrUpdate((loaded) => {
    // The schema Apollo Server gets too (see createPipelineGateway).
    const apiSchema = withDeferDirective(loaded.apiSchema);
    let next: SupergraphSnapshot;
    try {
      next = options.build(servedByApolloGateway(options.gateway), apiSchema);
    } catch (error) {
      // Apollo Gateway would log and forget it: kept for `confirm`, which refuses the load.
      refused = error;
      return;
    }
    snapshot = next;
    byApiSchema.set(apiSchema, next);
    refused = undefined;
    options.onSwap(next);
  });
  const current = (): SupergraphSnapshot => {
    // Before the first snapshot, why there is none: config that does not fit the supergraph
    // fails the start with its own message, whoever asks first.
    if (!snapshot) throw refused ?? new Error('the gateway has no supergraph loaded yet');
    return snapshot;
  };
  return {
    current,
    of: (schema) => byApiSchema.get(schema) ?? current(),
    confirm() {
      if (refused === undefined) return;
      const error = refused;
      refused = undefined;
      throw error;
    },
  };
}
