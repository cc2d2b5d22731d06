import type { GrpcSpec, RestSpec, ScaffoldSpec } from '../ScaffoldSpec.js';

const link = 'extend schema\n  @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])\n';

/** `schema/<name>.graphql`: the new subgraph's SDL, what composition and the server read. */
export function schemaTemplate(spec: ScaffoldSpec): string {
  return spec.kind === 'rest' ? restSchema(spec) : grpcSchema(spec);
}

function restSchema({ names, entity, baseUrl }: RestSpec): string {
  const field = entity.charAt(0).toLowerCase() + entity.slice(1);
  return `${link}
"From the ${names.name} REST service (${baseUrl}). Add the fields its JSON has: they resolve by name."
type ${entity} @key(fields: "id") {
  id: ID!
  name: String
}

type Query {
  "One ${field} by id (GET /{id} on the ${names.name} service); null when it answers 404."
  ${field}(id: ID!): ${entity}
}
`;
}

function grpcSchema({ plan }: GrpcSpec): string {
  const blocks: string[] = [];
  for (const object of plan.objects) {
    const key = object.key ? ` @key(fields: "${object.key}")` : '';
    const fields = object.fields.map((field) => `  ${field.name}: ${field.type}`).join('\n');
    blocks.push(`"The ${plan.proto.service} service's ${object.name} message."\ntype ${object.name}${key} {\n${fields}\n}`);
  }
  for (const { name, values } of plan.enums) blocks.push(`enum ${name} {\n${values.map((value) => `  ${value}`).join('\n')}\n}`);

  const queries = [
    ...plan.lookups.map(
      (lookup) =>
        `  "One ${lookup.entity} by ${lookup.keyField}, batched into ${lookup.method}; null when the service does not return it."\n  ${lookup.queryField}(${lookup.keyField}: ${lookup.keyType}!): ${lookup.entity}`,
    ),
    ...plan.queries.map((query) => {
      const args = query.args.length > 0 ? `(${query.args.map((arg) => `${arg.name}: ${arg.type}`).join(', ')})` : '';
      return `  "Calls ${plan.proto.service}.${query.method}."\n  ${query.queryField}${args}: ${query.returns}`;
    }),
  ];
  blocks.push(`type Query {\n${queries.join('\n')}\n}`);
  return `${link}\n${blocks.join('\n\n')}\n`;
}
