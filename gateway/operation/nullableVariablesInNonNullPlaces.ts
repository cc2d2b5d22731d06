import { isNonNullType, TypeInfo, ValidationContext, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type VariableNode } from 'graphql';

/** A place where a variable declared nullable stands where the schema needs a value: an explicit `null` there is an error. */
export interface NonNullPlace {
  variable: string;
  node: VariableNode;
  /** The type the place needs, as the schema prints it (`Boolean!`). */
  type: string;
}

// Per operation (Apollo Server parses a query text once), for the schema it was worked out for.
const places = new WeakMap<OperationDefinitionNode, { schema: GraphQLSchema; places: readonly NonNullPlace[] }>();

/**
 * The places in `operation` (its fragments included) where a variable declared nullable is used
 * where a non-null value is required: `@include(if: $x)` with `$x: Boolean = true`, say.
 * Validation allows that when the variable or the place has a default, but a variable sent as
 * `null` is `null` there, which execution must refuse; graphql-js does, mid-execution, while a
 * plan passes the `null` on to a subgraph or reads it as a condition. Worked out once per operation.
 */
export function nullableVariablesInNonNullPlaces(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): readonly NonNullPlace[] {
  const known = places.get(operation);
  if (known && known.schema === schema) return known.places;
  const nullable = new Set(
    (operation.variableDefinitions ?? []).filter((definition) => definition.type.kind !== 'NonNullType').map((definition) => definition.variable.name.value),
  );
  const found: NonNullPlace[] = [];
  if (nullable.size > 0) {
    const context = new ValidationContext(schema, document, new TypeInfo(schema), () => {});
    for (const usage of context.getRecursiveVariableUsages(operation)) {
      const name = usage.node.name.value;
      if (nullable.has(name) && usage.type && isNonNullType(usage.type)) found.push({ variable: name, node: usage.node, type: String(usage.type) });
    }
  }
  places.set(operation, { schema, places: found });
  return found;
}
