import {
  isNonNullType,
  Kind,
  TypeInfo,
  ValidationContext,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
  type VariableNode,
} from 'graphql';
import { fragmentsOf } from './fragmentsOf.js';

/** A selection's `@skip`/`@include` that must let it in: both, or `@skip` alone (an `@include` argument is read only past `@skip`). */
export interface Condition {
  node: SelectionNode;
  only: 'skip' | 'both';
}

/** A place where a variable declared nullable stands where the schema needs a value: an explicit `null` there is an error. */
export interface NonNullPlace {
  variable: string;
  node: VariableNode;
  /** The type the place needs, as the schema prints it (`Boolean!`). */
  type: string;
  /** The ways execution reaches it, each the conditions on the way (see isPlaceReached); one empty route: always. */
  routes: readonly (readonly Condition[])[];
}

// Past these the routes are not told apart and the place counts as always reached (stricter, never
// looser): a fragment spread in many places, or a document near the expanded-fields limit.
const MAX_ROUTES = 64;
const MAX_STEPS = 20_000;

// Per operation (Apollo Server parses a query text once), for the schema it was worked out for.
const places = new WeakMap<OperationDefinitionNode, { schema: GraphQLSchema; places: readonly NonNullPlace[] }>();

/**
 * The places in `operation` (its fragments included) where a variable declared nullable is used
 * where a non-null value is required: `@include(if: $x)` with `$x: Boolean = true`, say, with the
 * `@skip`/`@include` conditions under which execution reads each. Validation allows such a use
 * when the variable or the place has a default, but a variable sent as `null` is `null` there,
 * which execution must not run with: graphql-js refuses it where it reads it, while a plan would
 * pass it on to a subgraph or read it as a condition. Worked out once per operation.
 */
export function nullableVariablesInNonNullPlaces(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): readonly NonNullPlace[] {
  const known = places.get(operation);
  if (known && known.schema === schema) return known.places;
  const nullable = new Set(
    (operation.variableDefinitions ?? [])
      .filter((definition) => definition.type.kind !== Kind.NON_NULL_TYPE)
      .map((definition) => definition.variable.name.value),
  );
  const found = nullable.size === 0 ? [] : findPlaces(schema, document, operation, nullable);
  places.set(operation, { schema, places: found });
  return found;
}

function findPlaces(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, nullable: ReadonlySet<string>): NonNullPlace[] {
  // The type each variable node's place needs, from graphql-js's own walk (a node is one place in the text, however often its fragment is spread).
  const needs = new Map<VariableNode, GraphQLInputType>();
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => {});
  for (const usage of context.getRecursiveVariableUsages(operation)) {
    if (nullable.has(usage.node.name.value) && usage.type && isNonNullType(usage.type)) needs.set(usage.node, usage.type);
  }
  if (needs.size === 0) return [];
  const routes = new Map<VariableNode, Condition[][]>();
  const fragments = fragmentsOf(document);
  let steps = 0;
  const reach = (values: readonly ValueNode[], route: readonly Condition[]): void => {
    for (const node of variablesIn(values)) {
      if (!needs.has(node)) continue;
      const known = routes.get(node) ?? [];
      routes.set(node, known);
      // An empty route already (always reached), or too many to tell apart: always reached.
      if (known.length === 1 && known[0]!.length === 0) continue;
      if (route.length === 0 || known.length >= MAX_ROUTES || steps > MAX_STEPS) known.splice(0, known.length, []);
      else known.push([...route]);
    }
  };
  const directivesOf = (selection: SelectionNode, route: readonly Condition[]): void => {
    for (const directive of selection.directives ?? []) {
      const name = directive.name.value;
      const conditions: readonly Condition[] = name === 'skip' ? route : [...route, { node: selection, only: name === 'include' ? 'skip' : 'both' }];
      reach(argumentValues(directive.arguments), conditions);
    }
  };
  const walk = (set: SelectionSetNode, route: readonly Condition[], spread: ReadonlySet<string>): void => {
    for (const selection of set.selections) {
      steps += 1;
      // Past the bound, every place below counts as always reached.
      const inside: readonly Condition[] = steps > MAX_STEPS ? [] : [...route, { node: selection, only: 'both' }];
      directivesOf(selection, steps > MAX_STEPS ? [] : route);
      if (selection.kind === Kind.FIELD) {
        reach(argumentValues(selection.arguments), inside);
        if (selection.selectionSet) walk(selection.selectionSet, inside, spread);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, inside, spread);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A cycle (which validation refuses) or an unknown fragment: nothing more on this route.
        if (!fragment || spread.has(name)) continue;
        for (const directive of fragment.directives ?? []) reach(argumentValues(directive.arguments), inside);
        walk(fragment.selectionSet, inside, new Set([...spread, name]));
      }
    }
  };
  for (const directive of operation.directives ?? []) reach(argumentValues(directive.arguments), []);
  walk(operation.selectionSet, [], new Set());
  return [...needs].map(([node, type]) => ({ variable: node.name.value, node, type: String(type), routes: routes.get(node) ?? [[]] }));
}

function argumentValues(argumentNodes: readonly ArgumentNode[] | undefined): ValueNode[] {
  return (argumentNodes ?? []).map((argument) => argument.value);
}

/** The variable nodes in values, through lists and input objects. */
function* variablesIn(values: readonly ValueNode[]): Generator<VariableNode> {
  for (const value of values) {
    if (value.kind === Kind.VARIABLE) yield value;
    else if (value.kind === Kind.LIST) yield* variablesIn(value.values);
    else if (value.kind === Kind.OBJECT) yield* variablesIn(value.fields.map((field) => field.value));
  }
}
