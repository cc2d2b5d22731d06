import { apiModule, type ScaffoldSpec } from './ScaffoldSpec.js';
import { contextTemplate } from './templates/contextTemplate.js';
import { grpcApiTemplate } from './templates/grpcApiTemplate.js';
import { indexTemplate } from './templates/indexTemplate.js';
import { resolversTemplate } from './templates/resolversTemplate.js';
import { restApiTemplate } from './templates/restApiTemplate.js';
import { schemaTemplate } from './templates/schemaTemplate.js';
import { serverTemplate } from './templates/serverTemplate.js';

/** Every file of a new subgraph, path (from the repository root) and text, in the shape of the existing ones. */
export function renderSubgraphFiles(spec: ScaffoldSpec): Array<{ path: string; text: string }> {
  const folder = `subgraphs/${spec.names.name}`;
  return [
    { path: `schema/${spec.names.name}.graphql`, text: schemaTemplate(spec) },
    { path: `${folder}/server.ts`, text: serverTemplate(spec) },
    { path: `${folder}/index.ts`, text: indexTemplate(spec) },
    { path: `${folder}/context.ts`, text: contextTemplate(spec) },
    { path: `${folder}/resolvers.ts`, text: resolversTemplate(spec) },
    { path: `${folder}/${apiModule(spec)}.ts`, text: spec.kind === 'rest' ? restApiTemplate(spec) : grpcApiTemplate(spec) },
  ];
}
