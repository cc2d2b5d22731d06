import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';

/** One subgraph's name and SDL. */
export interface SubgraphSdl {
  name: string;
  sdl: string;
}

/** A subgraph that relies on another, and how. */
export interface Dependent {
  name: string;
  /** E.g. `Product.price and Product.weight are @external (defined by products)`. */
  reasons: string[];
}

type ObjectNode = ObjectTypeDefinitionNode | ObjectTypeExtensionNode;

/**
 * The subgraphs that rely on `target` for data they cannot resolve themselves: fields they mark
 * `@external` (for `@requires`, `@provides` or a key) that `target` resolves, and entities they
 * only reference (`@key(..., resolvable: false)`, or a stub of key fields) that `target`
 * resolves. Removing `target` would break their plans even where the rest still composes.
 */
export function findDependents(subgraphs: SubgraphSdl[], target: string): Dependent[] {
  const owner = subgraphs.find((subgraph) => subgraph.name === target);
  if (!owner) return [];
  const ownerTypes = objectTypes(parse(owner.sdl));
  const dependents: Dependent[] = [];
  for (const other of subgraphs) {
    if (other.name === target) continue;
    const reasons: string[] = [];
    for (const [typeName, nodes] of objectTypes(parse(other.sdl))) {
      const resolvedThere = ownerTypes.get(typeName);
      if (!resolvedThere) continue;
      const ownerFields = new Set(
        resolvedThere.flatMap((node) => (node.fields ?? []).filter((field) => !hasDirective(field.directives, 'external')).map((field) => field.name.value)),
      );
      const external = nodes.flatMap((node) =>
        (node.fields ?? [])
          .filter((field) => hasDirective(field.directives, 'external') && ownerFields.has(field.name.value))
          .map((field) => `${typeName}.${field.name.value}`),
      );
      if (external.length > 0) reasons.push(`${joinWords(external)} ${external.length === 1 ? 'is' : 'are'} @external (resolved by ${target})`);
      const keys = nodes.flatMap((node) => (node.directives ?? []).filter((directive) => directive.name.value === 'key'));
      const keyFields = new Set(keys.flatMap((key) => keyFieldsOf(key)));
      const ownFields = nodes.flatMap((node) => node.fields ?? []).filter((field) => !hasDirective(field.directives, 'external'));
      const referenceOnly = keys.length > 0 && (keys.every((key) => isUnresolvable(key)) || ownFields.every((field) => keyFields.has(field.name.value)));
      if (referenceOnly && external.length === 0) reasons.push(`it references ${typeName}, which ${target} resolves`);
    }
    if (reasons.length > 0) dependents.push({ name: other.name, reasons });
  }
  return dependents;
}

function objectTypes(document: DocumentNode): Map<string, ObjectNode[]> {
  const types = new Map<string, ObjectNode[]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const name = definition.name.value;
    if (name === 'Query' || name === 'Mutation' || name === 'Subscription') continue;
    types.set(name, [...(types.get(name) ?? []), definition]);
  }
  return types;
}

function hasDirective(directives: readonly ConstDirectiveNode[] | undefined, name: string): boolean {
  return (directives ?? []).some((directive) => directive.name.value === name);
}

// Top-level names of `@key(fields: "id sku { region }")`: nested selections belong to their field.
function keyFieldsOf(key: ConstDirectiveNode): string[] {
  const fields = key.arguments?.find((argument) => argument.name.value === 'fields')?.value;
  if (fields?.kind !== Kind.STRING) return [];
  return fields.value
    .replace(/\{[^{}]*\}/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function isUnresolvable(key: ConstDirectiveNode): boolean {
  const resolvable = key.arguments?.find((argument) => argument.name.value === 'resolvable')?.value;
  return resolvable?.kind === Kind.BOOLEAN && !resolvable.value;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
