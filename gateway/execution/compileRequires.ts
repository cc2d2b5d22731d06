import type { QueryPlanSelectionNode } from '@apollo/query-planner';
import type { ResultObject } from './collectEntities.js';
import { mergeInto } from './mergeInto.js';
import { setOwnField } from './setOwnField.js';

/** Whether an object of type `typename` matches the type condition `condition`. */
export type TypeMatcher = (condition: string, typename: unknown) => boolean;

/**
 * Builds an entity's representation, or null when the entity lacks a required field. `fields`,
 * when set, are all the representation is made of: these fields of the entity, in this order
 * (`__typename` among them), so that two entities alike in them have equal representations.
 */
export type Projector = ((entity: ResultObject) => ResultObject | null) & { fields?: readonly string[] };

/**
 * A fetch's `requires` as a function: it picks from an entity what the subgraph needs to find it
 * (key fields, `__typename`, `@requires` fields), inside type conditions the entity matches.
 */
export function compileRequires(requires: readonly QueryPlanSelectionNode[], matches: TypeMatcher): Projector {
  const flat = flatRequires(requires);
  if (flat) return projectFlat(flat.typeCondition, flat.fields, matches);
  const project = (selections: readonly QueryPlanSelectionNode[], source: ResultObject): ResultObject | null => {
    const result: ResultObject = {};
    for (const selection of selections) {
      if (selection.kind === 'InlineFragment') {
        if (!selection.typeCondition || !matches(selection.typeCondition, source.__typename)) continue;
        const inner = project(selection.selections, source);
        // A fragment whose fields are missing contributes nothing, as in Apollo Gateway.
        if (inner !== null) mergeInto(result, inner);
        continue;
      }
      const name = selection.alias ?? selection.name;
      const value = Object.hasOwn(source, name) ? source[name] : undefined;
      // A missing input means the fetch that should have given it failed: skip the entity.
      if (value === undefined) return null;
      setOwnField(result, name, selection.selections ? projectValue(selection.selections, value) : value);
    }
    return result;
  };
  const projectValue = (selections: readonly QueryPlanSelectionNode[], value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((element) => projectValue(selections, element));
    if (value === null || typeof value !== 'object') return value === undefined ? null : value;
    return project(selections, value as ResultObject);
  };
  return (entity) => project(requires, entity);
}

/** `... on T { a b c }` with leaf fields only, the shape nearly every key and `@requires` has. */
function flatRequires(requires: readonly QueryPlanSelectionNode[]): { typeCondition: string; fields: string[] } | null {
  const [only, ...rest] = requires;
  if (rest.length > 0 || only?.kind !== 'InlineFragment' || only.typeCondition === undefined) return null;
  const fields: string[] = [];
  for (const selection of only.selections) {
    if (selection.kind !== 'Field' || selection.selections) return null;
    fields.push(selection.alias ?? selection.name);
  }
  return { typeCondition: only.typeCondition, fields };
}

/** The projector of flat requires: the same result as the general one, without its detours. */
function projectFlat(typeCondition: string, fields: readonly string[], matches: TypeMatcher): Projector {
  const project: Projector = (entity) => {
    const result: ResultObject = {};
    if (!matches(typeCondition, entity.__typename)) return result;
    for (const name of fields) {
      const value = Object.hasOwn(entity, name) ? entity[name] : undefined;
      if (value === undefined) return null;
      setOwnField(result, name, value);
    }
    return result;
  };
  // Whether the type condition holds is decided by `__typename`: with it among the fields, the
  // fields decide the whole representation.
  if (fields.includes('__typename')) project.fields = fields;
  return project;
}
