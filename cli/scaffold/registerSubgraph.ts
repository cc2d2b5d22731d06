import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type ToStringOptions, type YAMLMap, type YAMLSeq } from 'yaml';
import { apiModule, type ScaffoldSpec } from './ScaffoldSpec.js';

/** The texts of the files that list every subgraph. */
export interface Registries {
  supergraphYaml: string;
  codegenYml: string;
  dockerComposeYml: string;
  devServicesTs: string;
}

/** Where each registry lives, relative to the repository root. */
export const registryFiles: Record<keyof Registries, string> = {
  supergraphYaml: 'schema/supergraph.yaml',
  codegenYml: 'codegen.yml',
  dockerComposeYml: 'docker-compose.yml',
  devServicesTs: 'cli/dev/devServices.ts',
};

/** Every registry's text, read from the repository at `root`. */
export function readRegistries(root: string): Registries {
  return Object.fromEntries(Object.entries(registryFiles).map(([key, file]) => [key, readFileSync(join(root, file), 'utf8')])) as unknown as Registries;
}

/**
 * The registries with the new subgraph added. The YAML files are edited through yaml's Document
 * API, so their comments, anchors and merge keys stay as people wrote them.
 */
// As the files are written: long lines kept whole, `[a, b]` without inner padding.
const style: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };

export function registerSubgraph(registries: Registries, spec: ScaffoldSpec): Registries {
  return {
    supergraphYaml: addToSupergraphConfig(registries.supergraphYaml, spec),
    codegenYml: addToCodegen(registries.codegenYml, spec),
    dockerComposeYml: addToDockerCompose(registries.dockerComposeYml, spec),
    devServicesTs: addToDevServices(registries.devServicesTs, spec),
  };
}

function addToSupergraphConfig(text: string, { names, port }: ScaffoldSpec): string {
  const doc = parseDocument(text);
  doc.setIn(['subgraphs', names.name], doc.createNode({ routing_url: `http://localhost:${port}/graphql`, schema: { file: `./${names.name}.graphql` } }));
  return doc.toString(style);
}

function addToCodegen(text: string, spec: ScaffoldSpec): string {
  const doc = parseDocument(text, { merge: true });
  const entities = spec.kind === 'rest' ? [spec.entity] : spec.plan.objects.map((object) => object.name);
  const config = doc.createNode({
    contextType: `../context.js#${spec.names.pascal}Context`,
    mappers: Object.fromEntries(entities.map((entity) => [entity, `../${apiModule(spec)}.js#${entity}Record`])),
  }) as YAMLMap;
  // Every entry shares the top-level `config` through its anchor, as the existing ones do.
  config.items.unshift(doc.createPair('<<', doc.createAlias(doc.get('config', true) as YAMLMap)));
  const plugins = doc.createNode(['typescript', 'typescript-resolvers']) as YAMLSeq;
  plugins.flow = true;
  const entry = doc.createNode({ schema: `schema/${spec.names.name}.graphql` }) as YAMLMap;
  entry.add(doc.createPair('plugins', plugins));
  entry.add(doc.createPair('config', config));
  doc.setIn(['generates', `subgraphs/${spec.names.name}/generated/resolvers-types.ts`], entry);
  return doc.toString(style);
}

function addToDockerCompose(text: string, spec: ScaffoldSpec): string {
  const doc = parseDocument(text, { merge: true });
  const { name, env } = spec.names;
  const services = doc.get('services') as YAMLMap;
  const gateway = services.get('gateway') as YAMLMap;
  const secret = (gateway.get('environment') as YAMLMap).get('PORTICO_SIGNING_SECRET');

  const service = doc.createNode({}) as YAMLMap;
  service.add(doc.createPair('<<', doc.createAlias(doc.get('x-service', true) as YAMLMap)));
  service.add(doc.createPair('command', quoted(flow(doc, ['node', `dist/subgraphs/${name}/index.js`]))));
  const environment = doc.createNode({ PORT: String(spec.port), PORTICO_SIGNING_SECRET: secret }) as YAMLMap;
  const variable = spec.kind === 'rest' ? `${env}_SERVICE_URL` : `${env}_SERVICE_ADDRESS`;
  const fallback = spec.kind === 'rest' ? spec.baseUrl : spec.address;
  // The service is another team's, outside this file, so no depends_on names it.
  environment.commentBefore = ` Set ${variable} to where your ${name} service is reachable from this container (default ${fallback}).`;
  service.add(doc.createPair('environment', environment));
  const check = doc.createNode({}) as YAMLMap;
  check.add(doc.createPair('<<', doc.createAlias(doc.get('x-http-check', true) as YAMLMap)));
  check.add(
    doc.createPair(
      'test',
      quoted(flow(doc, ['CMD', 'node', '-e', `fetch('http://localhost:${spec.port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`])),
    ),
  );
  service.add(doc.createPair('healthcheck', check));
  const pair = doc.createPair(name, service);
  // Beside the other subgraphs, before the gateway, as a person would add it.
  services.items.splice(
    services.items.findIndex((item) => (item.key as { value?: unknown }).value === 'gateway'),
    0,
    pair,
  );

  const command = gateway.get('command') as YAMLSeq;
  const words = command.items.map((item) => String((item as { value?: unknown }).value));
  const last = words.lastIndexOf('--subgraph-url');
  command.items.splice(last + 2, 0, doc.createNode('--subgraph-url'), doc.createNode(`${name}=http://${name}:${spec.port}/graphql`));
  const dependsOn = gateway.get('depends_on');
  if (isMap(dependsOn)) dependsOn.add(doc.createPair(name, flow(doc, { condition: 'service_healthy' })));
  // yaml pads flow maps and sequences alike; this file pads its one-pair maps only.
  return doc.toString(style).replace(/: \{(\w+): (\w+)\}$/gm, ': { $1: $2 }');
}

// `portico dev` starts the subgraph; its backend is the team's own service, reached through the
// variable the entry reads, so dev passes nothing and the developer's environment decides.
function addToDevServices(text: string, spec: ScaffoldSpec): string {
  const end = text.lastIndexOf('];');
  if (end < 0) throw new Error('cli/dev/devServices.ts has no devServices list to add to.');
  const variable = spec.kind === 'rest' ? `${spec.names.env}_SERVICE_URL` : `${spec.names.env}_SERVICE_ADDRESS`;
  const entry = `  {
    name: '${spec.names.name}',
    tier: 'subgraph',
    entry: 'subgraphs/${spec.names.name}/index.ts',
    defaultPort: ${spec.port},
    // Its backend is not part of the demo: set ${variable} to reach it.
    env: () => ({}),
    url: graphql,
  },
`;
  return text.slice(0, end) + entry + text.slice(end);
}

function flow(doc: Document, value: unknown): YAMLSeq | YAMLMap {
  const node = doc.createNode(value);
  if (isSeq(node) || isMap(node)) node.flow = true;
  return node as YAMLSeq | YAMLMap;
}

// Compose commands are written as JSON-style string lists, as the other services' are.
function quoted(node: YAMLSeq | YAMLMap): YAMLSeq | YAMLMap {
  for (const item of node.items) if (isScalar(item)) item.type = 'QUOTE_DOUBLE';
  return node;
}
