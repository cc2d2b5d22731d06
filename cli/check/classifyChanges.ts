import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { parse, type GraphQLSchema } from 'graphql';
import type { SchemaChange } from './CheckReport.js';
import { coordinatesOf } from './coordinatesOf.js';
import type { KnownOperation } from './knownOperations.js';

// Changes to a member of a type (an argument added to a field, a value removed from an enum, a
// member from a union): they affect every operation that uses the type or field they belong to,
// where other changes affect those that use the coordinate itself.
const MEMBER_CHANGES = new Set([
  'FIELD_ARGUMENT_ADDED',
  'ENUM_VALUE_REMOVED',
  'ENUM_VALUE_ADDED',
  'UNION_MEMBER_REMOVED',
  'UNION_MEMBER_ADDED',
  'INPUT_FIELD_ADDED',
  'OBJECT_TYPE_INTERFACE_REMOVED',
  'OBJECT_TYPE_INTERFACE_ADDED',
]);

const levels = { [CriticalityLevel.Breaking]: 'breaking', [CriticalityLevel.Dangerous]: 'dangerous', [CriticalityLevel.NonBreaking]: 'safe' } as const;

export interface ClassifiedChanges {
  changes: SchemaChange[];
  /** Known operations with no document to check (recorded without it, or not parsable). */
  unchecked: number;
}

/**
 * The changes from `current` to `proposed` (graphql-inspector's diff and criticality), each with
 * the known operations that depend on what it changes: an operation's coordinates are read in
 * the current schema, the one it was written against.
 */
export async function classifyChanges(current: GraphQLSchema, proposed: GraphQLSchema, operations: readonly KnownOperation[]): Promise<ClassifiedChanges> {
  const checked: Array<{ operation: KnownOperation; uses: Set<string> }> = [];
  let unchecked = 0;
  for (const operation of operations) {
    if (operation.document === null) {
      unchecked += 1;
      continue;
    }
    try {
      checked.push({ operation, uses: coordinatesOf(current, parse(operation.document)) });
    } catch {
      unchecked += 1;
    }
  }
  const found = await diff(current, proposed);
  const changes = found.map((change: Change): SchemaChange => {
    const path = change.path ?? null;
    const parent = path?.includes('.') && MEMBER_CHANGES.has(change.type) ? path.slice(0, path.lastIndexOf('.')) : null;
    const affected = path === null ? [] : checked.filter(({ uses }) => uses.has(path) || (parent !== null && uses.has(parent)));
    return {
      level: levels[change.criticality.level],
      type: change.type,
      path,
      message: change.message,
      affectedOperations: affected.map(({ operation: { document: _document, ...named } }) => named),
    };
  });
  const order = { breaking: 0, dangerous: 1, safe: 2 };
  changes.sort((a, b) => order[a.level] - order[b.level]);
  return { changes, unchecked };
}
