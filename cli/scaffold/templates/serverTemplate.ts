import { apiModule, type ScaffoldSpec } from '../ScaffoldSpec.js';

/** `subgraphs/<name>/server.ts`: builds the subgraph from its client; never listens. */
export function serverTemplate(spec: ScaffoldSpec): string {
  const { name, camel, pascal } = spec.names;
  const backend = spec.kind === 'rest' ? `the ${name} REST service` : `the ${spec.plan.proto.service} gRPC service`;
  return `import { createSubgraphServer, type SubgraphRuntime, type SubgraphServer } from '../kit/createSubgraphServer.js';
import { readSubgraphSchema } from '../kit/readSubgraphSchema.js';
import type { ${pascal}Api } from './${apiModule(spec)}.js';
import { ${camel}Context } from './context.js';
import { resolvers } from './resolvers.js';

export interface ${pascal}Deps extends SubgraphRuntime {
  ${camel}Api: ${pascal}Api;
}

/** The ${name} subgraph, over ${backend}. */
export function create${pascal}Server(deps: ${pascal}Deps): SubgraphServer {
  return createSubgraphServer({
    name: '${name}',
    typeDefs: readSubgraphSchema('${name}'),
    resolvers,
    createContext: ${camel}Context(deps.${camel}Api),
    ...deps,
  });
}
`;
}
