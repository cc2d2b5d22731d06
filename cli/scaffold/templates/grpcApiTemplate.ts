import { protoTypesImport, type GrpcSpec } from '../ScaffoldSpec.js';
import { lowerFirst } from '../subgraphNames.js';

/** `subgraphs/<name>/<name>Api.ts` for a gRPC service: a typed call per method the subgraph uses. */
export function grpcApiTemplate(spec: GrpcSpec): string {
  const { names, plan } = spec;
  const { proto } = plan;
  const used = [...plan.lookups.map((lookup) => lookup.method), ...plan.queries.map((query) => query.method)];
  const methods = proto.methods.filter((method) => used.includes(method.name));
  const imported = new Set<string>();
  const imports: string[] = [];
  const importType = (member: string, types: string) => {
    if (imported.has(`${member}:${types}`)) return;
    imported.add(`${member}:${types}`);
    imports.push(`import type { ${types} } from '${protoTypesImport(spec, member)}';`);
  };
  importType(proto.service, `${proto.service}Client`);
  for (const method of methods) {
    importType(method.requestType, method.requestType);
    importType(method.responseType, `${method.responseType}__Output`);
  }
  for (const object of plan.objects) importType(object.name, `${object.name}__Output`);
  const protoPath = ['proto', ...proto.packageName.split('.').filter(Boolean), proto.service].join('.');

  return `import { loadProto } from '../../common/grpc/loadProto.js';
import type { ProtoGrpcType } from '../../common/grpc/generated/${proto.file.replace(/\.proto$/, '')}.js';
${imports.sort().join('\n')}
import { callUnary } from '../kit/grpc/callUnary.js';
import { createGrpcClient } from '../kit/grpc/createGrpcClient.js';
import type { CallOptions } from '../kit/rest/createRestClient.js';

${plan.objects.map((object) => `export type ${object.name}Record = ${object.name}__Output;`).join('\n')}
${plan.lookups.length > 0 ? `\n/** Most keys one batch call carries: set it to the ${names.name} service's own limit. */\nexport const ${names.camel}BatchLimit = 100;\n` : ''}
/** The ${proto.service} gRPC service (schema/protos/${proto.file}), as this subgraph uses it. */
export interface ${names.pascal}Api {
${methods.map((method) => `  ${lowerFirst(method.name)}(request: ${method.requestType}, call: CallOptions): Promise<${method.responseType}__Output>;`).join('\n')}
  close(): void;
}

export function create${names.pascal}Api(address: string, timeoutMs: number): ${names.pascal}Api {
  const proto = loadProto<ProtoGrpcType>('${proto.file}');
  const client: ${proto.service}Client = createGrpcClient(${protoPath}, address);
  const options = (method: string, call: CallOptions) => ({ backend: '${names.name}', method, timeoutMs, ...call });
  return {
${methods
  .map(
    (method) => `    ${lowerFirst(method.name)}(request, call) {
      return callUnary<${method.responseType}__Output>(
        (metadata, callOptions, done) => client.${method.name}(request, metadata, callOptions, done),
        options('${method.name}', call),
      );
    },`,
  )
  .join('\n')}
    close: () => client.close(),
  };
}
`;
}
