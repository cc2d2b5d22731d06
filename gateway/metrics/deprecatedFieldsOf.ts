import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

// Per schema (a reload brings a new one), per document: the walk is done once per distinct query.
const cache = new WeakMap<GraphQLSchema, Map<string, readonly string[]>>();
const MAX_DOCUMENTS_PER_SCHEMA = 1000;

/**
 * The `@deprecated` fields an operation selects, as `Type.field`, each once: what a team needs to
 * see who still uses a field before removing it. `key` identifies the document (its hash).
 */
export function deprecatedFieldsOf(schema: GraphQLSchema, document: DocumentNode, key: string): readonly string[] {
  let bySchema = cache.get(schema);
  if (!bySchema) cache.set(schema, (bySchema = new Map()));
  const known = bySchema.get(key);
  if (known) return known;

  const typeInfo = new TypeInfo(schema);
  const found = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (field?.deprecationReason != null && parent) found.add(`${parent.name}.${field.name}`);
      },
    }),
  );
  const fields = [...found].sort();
  // A crude bound: clients that send ever new documents must not grow this without end.
  if (bySchema.size >= MAX_DOCUMENTS_PER_SCHEMA) bySchema.clear();
  bySchema.set(key, fields);
  return fields;
}
