import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/**
 * The API schema of a supergraph (what clients query: no federation machinery, `@inaccessible`
 * removed). Every feature is accepted, as the gateway does: `@authenticated` and the other
 * SECURITY features are enforced by the gateway, not by Apollo's supported-feature list.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
}
