import type { GrpcSpec, RestSpec, ScaffoldSpec } from '../ScaffoldSpec.js';
import { lowerFirst } from '../subgraphNames.js';

const header = "import type { Resolvers } from './generated/resolvers-types.js';\n\n";

/** `subgraphs/<name>/resolvers.ts`: thin, typed resolvers that call the loaders and the client. */
export function resolversTemplate(spec: ScaffoldSpec): string {
  return header + (spec.kind === 'rest' ? restResolvers(spec) : grpcResolvers(spec));
}

function restResolvers({ entity }: RestSpec): string {
  const loader = `${lowerFirst(entity)}Loader`;
  return `export const resolvers: Resolvers = {
  Query: {
    ${lowerFirst(entity)}: (_parent, { id }, { ${loader} }) => ${loader}.load(id),
  },
  ${entity}: {
    __resolveReference: ({ id }, { ${loader} }) => ${loader}.load(id),
  },
};
`;
}

function grpcResolvers({ names, plan }: GrpcSpec): string {
  const queries = [
    ...plan.lookups.map(
      (lookup) => `    ${lookup.queryField}: (_parent, { ${lookup.keyField} }, { ${lookup.loader} }) => ${lookup.loader}.load(${lookup.keyField}),`,
    ),
    ...plan.queries.map(
      (query) =>
        `    ${query.queryField}: (_parent, ${query.args.length > 0 ? 'args' : '_args'}, context) => context.${names.camel}Api.${lowerFirst(query.method)}(${query.args.length > 0 ? 'args' : '{}'}, context),`,
    ),
  ];
  const entities = plan.lookups.map(
    (lookup) =>
      `  ${lookup.entity}: {\n    __resolveReference: ({ ${lookup.keyField} }, { ${lookup.loader} }) => ${lookup.loader}.load(${lookup.keyField}),\n  },`,
  );
  return `export const resolvers: Resolvers = {
  Query: {
${queries.join('\n')}
  },
${entities.join('\n')}
};
`;
}
