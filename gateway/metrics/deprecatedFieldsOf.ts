import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { fragmentsOf } from '../operation/fragmentsOf.js';
import { walkFields } from '../operation/walkFields.js';

// Per schema (a reload brings a new one), per operation: the walk is done once per distinct query.
const cache = new WeakMap<GraphQLSchema, Map<string, readonly string[]>>();
const MAX_DOCUMENTS_PER_SCHEMA = 1000;

/**
 * The `@deprecated` fields an operation selects, as `Type.field`, each once: what a team needs to
 * see who still uses a field before removing it. Every field the operation writes counts, one
 * `@skip`/`@include` leaves out this time included: the client still depends on it. `key`
 * identifies the operation (its document's hash and its name).
 */
export function deprecatedFieldsOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, key: string): readonly string[] {
  let bySchema = cache.get(schema);
  if (!bySchema) cache.set(schema, (bySchema = new Map()));
  const known = bySchema.get(key);
  if (known) return known;

  const found = new Set<string>();
  const root = schema.getRootType(operation.operation);
  if (root) {
    walkFields<GraphQLCompositeType>(operation.selectionSet, root, {
      fragments: fragmentsOf(document),
      field(node, parent) {
        // A union has no fields of its own; the schema's field maps have no prototype.
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
        if (!field) return undefined;
        if (field.deprecationReason != null) found.add(`${parent.name}.${field.name}`);
        const type = getNamedType(field.type);
        return isCompositeType(type) ? type : undefined;
      },
      fragment(typeCondition, parent) {
        if (!typeCondition) return parent;
        const type = schema.getType(typeCondition.name.value);
        return type && isCompositeType(type) ? type : undefined;
      },
    });
  }
  const fields = [...found].sort();
  // A crude bound: clients that send ever new documents must not grow this without end.
  if (bySchema.size >= MAX_DOCUMENTS_PER_SCHEMA) bySchema.clear();
  bySchema.set(key, fields);
  return fields;
}
