import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { VariableValues } from '../execution/coercedVariablesOf.js';
import { createFragmentMemo } from '../operation/createFragmentMemo.js';
import { fragmentsOf } from '../operation/fragmentsOf.js';
import { isInclusionDirective, isIncluded } from '../operation/isIncluded.js';
import type { CostDirectives } from './readCostDirectives.js';

export interface CostEstimatorOptions {
  directives: CostDirectives;
  /** The size of a list without `@listSize` or a slicing argument value. */
  defaultListSize: number;
}

export interface CostRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The request's coerced variables, defaults applied (`coercedVariablesOf`). */
  variables: VariableValues;
}

/** Mutations cost 10 before their fields, queries 0: the weights Apollo Router and Hive use. */
const OPERATION_COST = { query: 0, mutation: 10, subscription: 0 } as const;

/**
 * Static cost analysis after the IBM cost spec, as Apollo Router applies it: an object,
 * interface or union field costs 1 and a scalar or enum 0, unless `@cost` on the field or its
 * type says otherwise; arguments with `@cost` add their weight; a list multiplies its item's
 * cost by the list's size (a `slicingArguments` value, else `assumedSize`, else the default);
 * `sizedFields` pass that size down to the named child lists. Fragments are added where they
 * are spread (an upper bound for abstract types) and each is costed once per place in the tree
 * it can be reached from, so fragment bombs cost linear time. A selection `@skip`/`@include`
 * leaves out with the request's variables costs nothing. Introspection is free: the gateway
 * answers it without subgraphs.
 */
export function createCostEstimator(options: CostEstimatorOptions): (request: CostRequest) => number {
  const { weights, listSizes } = options.directives;
  // An estimate that read no variable holds for every request of the same parsed operation
  // (Apollo Server hands out one document per query text) on the same schema.
  const constant = new WeakMap<OperationDefinitionNode, { schema: GraphQLSchema; cost: number }>();
  return ({ schema, document, operation, variables }) => {
    const known = constant.get(operation);
    if (known?.schema === schema) return known.cost;
    let readVariable = false;
    const variable = (name: string) => {
      readVariable = true;
      return variables.get(name);
    };
    // Keyed by the sizes passed down too: the same fragment under another list costs otherwise.
    const fragmentCost = createFragmentMemo(fragmentsOf(document), 0);

    const listSizeOf = (coordinate: string, field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
      const listSize = listSizes.get(coordinate);
      const sliced = (listSize?.slicingArguments ?? []).flatMap((name) => {
        const value = argumentValue(field, node, name, variable);
        return typeof value === 'number' ? [value] : [];
      });
      // A negative size would make a costly list look cheap.
      if (sliced.length > 0) return Math.max(0, ...sliced);
      return listSize?.assumedSize ?? options.defaultListSize;
    };

    // As execution decides it, with the same values: a selection `@skip`/`@include` leaves out costs nothing.
    const included = (selection: SelectionNode): boolean => {
      if (!selection.directives?.length) return true;
      for (const directive of selection.directives) {
        if (isInclusionDirective(directive) && directive.arguments?.some((argument) => argument.value.kind === Kind.VARIABLE)) readVariable = true;
      }
      return isIncluded(selection, variables);
    };

    const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, sized: ReadonlyMap<string, number>): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (!included(selection)) continue;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          if (type && isCompositeType(type)) total += selectionCost(selection.selectionSet, type, sized);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const name = selection.name.value;
          total += fragmentCost(
            name,
            (fragment) => {
              const type = schema.getType(fragment.typeCondition.name.value);
              return type && isCompositeType(type) ? selectionCost(fragment.selectionSet, type, sized) : 0;
            },
            `${name}|${[...sized].join(',')}`,
          );
        } else {
          total += fieldCost(selection, parent, sized);
        }
      }
      return total;
    };

    const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, sized: ReadonlyMap<string, number>): number => {
      if (node.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
      const field = parent.getFields()[node.name.value];
      if (!field) return 0;
      const coordinate = `${parent.name}.${field.name}`;
      const named = getNamedType(field.type);
      const weight = weights.get(coordinate) ?? weights.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
      const argumentsCost = (node.arguments ?? []).reduce((sum, argument) => sum + (weights.get(`${coordinate}(${argument.name.value}:)`) ?? 0), 0);
      const size = listSizeOf(coordinate, field, node);
      const childSized = new Map((listSizes.get(coordinate)?.sizedFields ?? []).map((name) => [name, size]));
      const childCost = node.selectionSet && isCompositeType(named) ? selectionCost(node.selectionSet, named, childSized) : 0;
      const multiplier = sized.get(field.name) ?? (isListType(getNullableType(field.type)) ? size : 1);
      return argumentsCost + multiplier * (weight + childCost);
    };

    const root = schema.getRootType(operation.operation);
    const cost = OPERATION_COST[operation.operation] + (root ? selectionCost(operation.selectionSet, root, new Map()) : 0);
    if (!readVariable) constant.set(operation, { schema, cost });
    return cost;
  };
}

/** A numeric argument's value: literal, variable, or the argument's default. */
function argumentValue(field: GraphQLField<unknown, unknown>, node: FieldNode, name: string, variable: (name: string) => unknown): unknown {
  const argument = node.arguments?.find((candidate) => candidate.name.value === name);
  if (argument?.value.kind === Kind.INT) return Number(argument.value.value);
  if (argument?.value.kind === Kind.VARIABLE) return variable(argument.value.name.value);
  return argument ? undefined : field.args.find((definition) => definition.name === name)?.defaultValue;
}
