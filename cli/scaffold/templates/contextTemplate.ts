import { apiModule, keyTsType, type GrpcSpec, type RestSpec, type ScaffoldSpec } from '../ScaffoldSpec.js';
import { lowerFirst } from '../subgraphNames.js';

/** `subgraphs/<name>/context.ts`: each request's loaders, built per request as every subgraph does. */
export function contextTemplate(spec: ScaffoldSpec): string {
  return spec.kind === 'rest' ? restContext(spec) : grpcContext(spec);
}

function restContext(spec: RestSpec): string {
  const { camel, pascal, name } = spec.names;
  const loader = `${lowerFirst(spec.entity)}Loader`;
  return `import type DataLoader from 'dataloader';
import { createPerItemLoader } from '../kit/loaders/createPerItemLoader.js';
import type { RequestScope } from '../kit/requestScope.js';
import { ${camel}Concurrency, type ${spec.entity}Record, type ${pascal}Api } from './${apiModule(spec)}.js';

export interface ${pascal}Context extends RequestScope {
  ${camel}Api: ${pascal}Api;
  /** ${spec.entity}s by id, one GET each, each id once per request; null for a 404. */
  ${loader}: DataLoader<string, ${spec.entity}Record | null>;
}

/** Builds each request's context: its own loaders, so no cache is shared between callers. */
export function ${camel}Context(${camel}Api: ${pascal}Api) {
  return (scope: RequestScope): ${pascal}Context => ({
    ...scope,
    ${camel}Api,
    ${loader}: createPerItemLoader({
      fetch: (id: string) => ${camel}Api.byId(id, scope),
      concurrency: ${camel}Concurrency,
      signal: scope.signal,
    }),
  });
}
// The ${name} service has no batch endpoint that the scaffold knows of; if it has one, use
// createBatchLoader (subgraphs/kit/loaders) as the accounts subgraph does.
`;
}

function grpcContext(spec: GrpcSpec): string {
  const { camel, pascal } = spec.names;
  const { lookups } = spec.plan;
  const records = lookups.map((lookup) => `type ${lookup.entity}Record`);
  const fromApi = [...(lookups.length > 0 ? [`${camel}BatchLimit`] : []), ...new Set(records), `type ${pascal}Api`];
  const imports = [
    ...(lookups.length > 0 ? ["import type DataLoader from 'dataloader';", "import { createBatchLoader } from '../kit/loaders/createBatchLoader.js';"] : []),
    "import type { RequestScope } from '../kit/requestScope.js';",
    `import { ${fromApi.join(', ')} } from './${apiModule(spec)}.js';`,
  ];
  const members = lookups.map(
    (lookup) =>
      `  /** ${lookup.entity}s by ${lookup.keyField}, batched into ${lookup.method}; null for a key it does not return. */\n  ${lookup.loader}: DataLoader<${keyTsType(lookup.keyType)}, ${lookup.entity}Record | null>;`,
  );
  const loaders = lookups.map(
    (lookup) => `    ${lookup.loader}: createBatchLoader({
      maxBatchSize: ${camel}BatchLimit,
      fetch: async (keys: readonly ${keyTsType(lookup.keyType)}[]) => (await ${camel}Api.${lowerFirst(lookup.method)}({ ${lookup.requestField}: [...keys] }, scope)).${lookup.responseField},
      keyOf: (item: ${lookup.entity}Record) => item.${lookup.keyField},
    }),`,
  );
  return `${imports.join('\n')}

export interface ${pascal}Context extends RequestScope {
  ${camel}Api: ${pascal}Api;
${members.join('\n')}
}

/** Builds each request's context: its own loaders, so no cache is shared between callers. */
export function ${camel}Context(${camel}Api: ${pascal}Api) {
  return (scope: RequestScope): ${pascal}Context => ({
    ...scope,
    ${camel}Api,
${loaders.join('\n')}
  });
}
`;
}
