import { isTypeDefinitionNode, isTypeExtensionNode, Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode } from 'graphql';

/** `@listSize` as written on a field of the supergraph. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

/**
 * The `@cost` and `@listSize` of a supergraph, keyed by schema coordinate: `Type` (type
 * weight), `Type.field` (field weight, list size) and `Type.field(arg:)` (argument weight).
 */
export interface CostDirectives {
  weights: ReadonlyMap<string, number>;
  listSizes: ReadonlyMap<string, ListSize>;
}

// The cost spec's directives; `cost__` is how a supergraph names one it did not import.
const isNamed = (directive: ConstDirectiveNode, name: string) =>
  directive.name.value === name || directive.name.value === `cost__${name}` || directive.name.value === `federation__${name}`;

/**
 * Reads the directives out of the supergraph's definitions as parsed once (see
 * `SupergraphSnapshot`); the API schema Apollo plans with has none.
 */
export function readCostDirectives(document: DocumentNode): CostDirectives {
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const weightOf = (directives: readonly ConstDirectiveNode[] | undefined) => {
    const cost = directives?.find((directive) => isNamed(directive, 'cost'));
    const weight = cost?.arguments?.find((argument) => argument.name.value === 'weight')?.value;
    return weight?.kind === Kind.INT ? Number(weight.value) : undefined;
  };
  for (const definition of document.definitions) {
    if (!isTypeDefinitionNode(definition) && !isTypeExtensionNode(definition)) continue;
    const type = definition.name.value;
    const typeWeight = weightOf(definition.directives);
    if (typeWeight !== undefined) weights.set(type, typeWeight);
    if (!('fields' in definition) || definition.fields === undefined) continue;
    for (const field of definition.fields) {
      const coordinate = `${type}.${field.name.value}`;
      const fieldWeight = weightOf(field.directives);
      if (fieldWeight !== undefined) weights.set(coordinate, fieldWeight);
      const listSize = field.directives?.find((directive) => isNamed(directive, 'listSize'));
      if (listSize) listSizes.set(coordinate, readListSize(listSize));
      for (const argument of 'arguments' in field ? (field.arguments ?? []) : []) {
        const argumentWeight = weightOf(argument.directives);
        if (argumentWeight !== undefined) weights.set(`${coordinate}(${argument.name.value}:)`, argumentWeight);
      }
    }
  }
  return { weights, listSizes };
}

function readListSize(directive: ConstDirectiveNode): ListSize {
  const listSize: ListSize = {};
  for (const argument of directive.arguments ?? []) {
    const value = argument.value;
    if (argument.name.value === 'assumedSize' && value.kind === Kind.INT) listSize.assumedSize = Number(value.value);
    if (argument.name.value === 'slicingArguments') listSize.slicingArguments = strings(value);
    if (argument.name.value === 'sizedFields') listSize.sizedFields = strings(value);
  }
  return listSize;
}

function strings(value: ConstValueNode): string[] {
  const items = value.kind === Kind.LIST ? value.values : [value];
  return items.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}
