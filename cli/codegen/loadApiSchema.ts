import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/**
 * A graphql-codegen schema loader (codegen.yml: `loader:` on the supergraph file): the API
 * schema clients see, without the `join__`/`link__` machinery of the supergraph, with `@defer`
 * declared as the gateway accepts it. Client operations are typed and validated against what
 * the gateway serves, not against the supergraph's internals.
 */
export default function loadApiSchema(pointer: string): GraphQLSchema {
  // `supportedFeatures: null`: the security features (@authenticated, @requiresScopes, @policy)
  // are enforced by the gateway, not by this reading of the schema.
  const supergraph = Supergraph.build(readFileSync(pointer, 'utf8'), { supportedFeatures: null });
  return supergraph.apiSchema().toGraphQLJSSchema({ includeDefer: true });
}
